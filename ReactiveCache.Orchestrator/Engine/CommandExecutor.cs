using Microsoft.Extensions.Options;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Functions;
using ReactiveCache.Orchestrator.Gateways;
using ReactiveCache.Orchestrator.Telemetry;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// Carries out the policy's commands (and the control API's, in the same terms): routes go to the gateways,
/// keepRunning and shutdown to the functions' control streams, invocations run concurrently, and node commands
/// go to the <see cref="NodeWorkQueue"/> in the order given. A command that throws is logged and counted; the
/// ones after it are still carried out. A command of the policy for a pinned key is dropped (the pin has it), and so is
/// a route to a layer the key is known to be too large for (<see cref="ObjectSizes"/>: the key stays where it is).
/// </summary>
public sealed class CommandExecutor(
    GatewaySessions gateways,
    IFunctionControl functionControl,
    FunctionRunner functions,
    NodeWorkQueue nodeWork,
    NodeCommands node,
    RoutePins pins,
    ObjectSizes sizes,
    IOptions<EngineOptions> options,
    ILogger<CommandExecutor> logger)
{
    private const string Loop = "commands";

    /// <summary>Carries out the policy's <paramref name="commands"/> in order.</summary>
    public void Execute(IReadOnlyList<PolicyCommand> commands)
    {
        for (var i = 0; i < commands.Count; i++)
        {
            var command = commands[i];
            if (command.Key.Length > 0 && pins.IsActive(command.Key))
            {
                logger.LogDebug("Policy: {Command} dropped, the key is pinned", command);
                continue;
            }

            if (command.Key.Length > 0 && sizes.RefusesRoute(command))
            {
                logger.LogWarning("Policy: {Command} dropped, {Key} ({Bytes} bytes) is too large for that layer", command, command.Key, sizes.Known(command.Key));
                continue;
            }

            Execute(command, next: i + 1 < commands.Count ? commands[i + 1] : null, movedToNode: MovedToNode(commands, i));
        }
    }

    /// <summary>Carries out one command (the control API's start and stop of the node and of functions).</summary>
    public void Execute(PolicyCommand command) => Execute(command, next: null, movedToNode: false);

    /// <summary>Whether a command before <paramref name="index"/> in the batch routed the same key to the node (the switch from Lambda).</summary>
    private static bool MovedToNode(IReadOnlyList<PolicyCommand> commands, int index)
    {
        var command = commands[index];
        if (command.Kind != PolicyCommandKind.ShutdownFunction)
        {
            return false;
        }

        for (var i = 0; i < index; i++)
        {
            if (commands[i] is { Kind: PolicyCommandKind.SetRoute, Layer: CacheLayer.Redis } route && route.Key == command.Key)
            {
                return true;
            }
        }

        return false;
    }

    private void Execute(PolicyCommand command, PolicyCommand? next, bool movedToNode)
    {
        using var activity = OrchestratorTelemetry.Source.StartActivity($"policy {command.Kind}");
        activity?.SetTag("object.key", command.Key);
        activity?.SetTag("layer", command.Layer.ToName());
        logger.LogInformation("Policy: {Command}", command);
        try
        {
            Dispatch(command, next, movedToNode);
        }
        catch (Exception failure)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, failure.Message);
            logger.LoopFailed(failure, Loop, command.Kind.ToString(), command.Key);
        }
    }

    private void Dispatch(PolicyCommand command, PolicyCommand? next, bool movedToNode)
    {
        var key = command.Key;
        switch (command.Kind)
        {
            case PolicyCommandKind.InvokeFunction:
                _ = functions.RunAsync(key, command.Tick);
                break;
            case PolicyCommandKind.KeepRunning:
                functionControl.KeepRunning(key);
                break;
            case PolicyCommandKind.ShutdownFunction when movedToNode:
                // The key's route just moved to the node: the function goes only once every gateway holds that route,
                // so that no GET finds it gone while its gateway still sends the key there (and falls back to S3).
                _ = ShutdownWhenRoutedAsync(key, gateways.Routes.Version);
                break;
            case PolicyCommandKind.ShutdownFunction:
                functionControl.Shutdown(key);
                break;
            case PolicyCommandKind.SetRoute:
                gateways.SetRoute(key, command.Layer);
                break;
            case PolicyCommandKind.RemoveRoute:
                gateways.RemoveRoute(key);
                break;
            case PolicyCommandKind.StartNode:
                nodeWork.Enqueue(command.Kind, key, node.StartAsync);
                break;
            case PolicyCommandKind.LoadObject:
                nodeWork.Enqueue(command.Kind, key, ct => node.LoadAsync(key, ct));
                break;
            case PolicyCommandKind.EvictObject:
                nodeWork.Enqueue(command.Kind, key, _ => node.EvictAsync(key));
                break;
            case PolicyCommandKind.DrainGateways:
                // A drain right before a stop is the stop's own first step (the node shows Draining meanwhile).
                if (next?.Kind != PolicyCommandKind.StopNode)
                {
                    nodeWork.Enqueue(command.Kind, key, node.DrainAsync);
                }

                break;
            case PolicyCommandKind.StopNode:
                nodeWork.Enqueue(command.Kind, key, node.StopAsync);
                break;
            default:
                logger.LogWarning("Policy command {Command} has no executor", command);
                break;
        }
    }

    private async Task ShutdownWhenRoutedAsync(string key, ulong version)
    {
        try
        {
            await gateways.WaitForRouteVersionAsync(version, options.Value.RouteAckTimeout, CancellationToken.None);
            functionControl.Shutdown(key);
        }
        catch (Exception failure)
        {
            logger.LoopFailed(failure, Loop, nameof(PolicyCommandKind.ShutdownFunction), key);
        }
    }
}
