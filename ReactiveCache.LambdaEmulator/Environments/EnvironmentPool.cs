using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ReactiveCache.LambdaEmulator.Environments;

/// <summary>
/// The execution environments of every function: an invocation takes an idle one of its function
/// (warm) or starts a process (cold), reclaiming an idle environment of another function at the
/// concurrency limit; each invocation is failed and its process killed at the function timeout.
/// </summary>
public sealed class EnvironmentPool(IOptionsMonitor<EmulatorOptions> options, IServer server, ILoggerFactory loggers) : IDisposable
{
    public const string RuntimeApiPrefix = "/runtime-api";

    private readonly ConcurrentDictionary<string, ExecutionEnvironment> _environments = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger("ReactiveCache.LambdaEmulator.Environments");
    private readonly object _gate = new();

    public IReadOnlyCollection<ExecutionEnvironment> Environments => [.. _environments.Values];

    public bool IsKnown(string functionName) => options.CurrentValue.Functions.ContainsKey(functionName);

    public ExecutionEnvironment? Find(string environmentId) => _environments.GetValueOrDefault(environmentId);

    /// <summary>The environment whose Runtime API path this is (its id and its secret); null for any other.</summary>
    public ExecutionEnvironment? FindRuntime(string environmentId, string secret) =>
        Find(environmentId) is { } environment && environment.HasRuntimeSecret(secret) ? environment : null;

    /// <summary>
    /// Hands <paramref name="payload"/> to an environment of <paramref name="functionName"/> and returns at
    /// once; the invocation's <see cref="PendingInvocation.Result"/> completes when the function answers.
    /// </summary>
    public (PendingInvocation Invocation, ExecutionEnvironment Environment, bool Cold) Invoke(string functionName, byte[] payload, ActivityContext parent)
    {
        var definition = options.CurrentValue.Functions.GetValueOrDefault(functionName)
                         ?? throw new KeyNotFoundException($"Function not found: {functionName}");
        var (environment, cold) = Reserve(functionName, definition, parent);
        var invocation = new PendingInvocation(Guid.NewGuid().ToString(), payload, DateTimeOffset.UtcNow + definition.Timeout, parent);
        environment.Assign(invocation);
        _ = EnforceTimeoutAsync(environment, invocation, definition.Timeout);
        return (invocation, environment, cold);
    }

    /// <summary>Kills environments idle for longer than the idle timeout.</summary>
    public void Reap()
    {
        var idleTimeout = options.CurrentValue.IdleTimeout;
        foreach (var environment in _environments.Values)
        {
            try
            {
                if (environment.State == EnvironmentState.Dead)
                {
                    _environments.TryRemove(environment.Id, out _);
                    environment.Dispose();
                }
                else if (environment.State == EnvironmentState.Idle && DateTimeOffset.UtcNow - environment.IdleSince > idleTimeout && environment.TryReserve())
                {
                    Retire(environment, "Runtime.Reaped", $"idle for more than {idleTimeout}");
                }
            }
            catch (Exception e)
            {
                // One environment that cannot be killed or disposed must not keep the others from being reaped.
                _logger.LogError(e, "[{Environment}] could not be reaped", environment.Id);
            }
        }
    }

    private (ExecutionEnvironment Environment, bool Cold) Reserve(string functionName, FunctionDefinition definition, ActivityContext parent)
    {
        lock (_gate)
        {
            // Warm: the most recently idle environment of this function (its caches are hottest).
            var warm = _environments.Values
                .Where(e => e.FunctionName == functionName && e.State == EnvironmentState.Idle)
                .OrderByDescending(e => e.IdleSince)
                .FirstOrDefault(e => e.TryReserve());
            if (warm is not null)
            {
                return (warm, false);
            }

            var alive = _environments.Values.Count(e => e.State != EnvironmentState.Dead);
            if (alive >= options.CurrentValue.MaxConcurrency)
            {
                // Lambda's concurrency counts environments running an invocation: an idle one (of any function)
                // is reclaimed to make room, the one idle the longest first. Only when every one is busy: 429.
                var reclaimed = _environments.Values
                    .Where(e => e.State == EnvironmentState.Idle)
                    .OrderBy(e => e.IdleSince)
                    .FirstOrDefault(e => e.TryReserve())
                    ?? throw new TooManyRequestsException($"Rate Exceeded: {alive} execution environments are busy (Emulator:MaxConcurrency).");
                Retire(reclaimed, "Runtime.Reclaimed", $"its slot is needed for a cold start of {functionName} (Emulator:MaxConcurrency {options.CurrentValue.MaxConcurrency})");
            }

            var environment = new ExecutionEnvironment(functionName, definition, _logger);
            environment.ReserveNew();
            _environments[environment.Id] = environment;
            try
            {
                environment.Start($"{RuntimeApiAddress()}{environment.RuntimeApiPath(RuntimeApiPrefix)}", parent);
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                _environments.TryRemove(environment.Id, out _);
                environment.Kill("Runtime.InvalidEntrypoint", e.Message);
                throw new InvalidOperationException($"Could not start {functionName} ({definition.Command}): {e.Message}", e);
            }

            return (environment, true);
        }
    }

    /// <summary>Kills a reserved environment and forgets it.</summary>
    private void Retire(ExecutionEnvironment environment, string errorType, string reason)
    {
        environment.Kill(errorType, reason);
        _environments.TryRemove(environment.Id, out _);
        environment.Dispose();
    }

    private async Task EnforceTimeoutAsync(ExecutionEnvironment environment, PendingInvocation invocation, TimeSpan timeout)
    {
        var finished = await Task.WhenAny(invocation.Result, Task.Delay(timeout));
        if (finished != invocation.Result)
        {
            environment.Kill("Sandbox.Timedout",
                $"{DateTimeOffset.UtcNow:O} {invocation.RequestId} Task timed out after {timeout.TotalSeconds:F2} seconds");
        }
    }

    /// <summary><c>host:port</c> of this emulator as the function processes reach it.</summary>
    private string RuntimeApiAddress()
    {
        if (options.CurrentValue.RuntimeApiAddress is { Length: > 0 } configured)
        {
            return configured;
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException("The emulator has no http address for the Runtime API; set Emulator:RuntimeApiAddress.");
        var uri = new Uri(address.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0").Replace("://[::]", "://0.0.0.0"));
        return $"127.0.0.1:{uri.Port}";
    }

    public void Dispose()
    {
        foreach (var environment in _environments.Values)
        {
            environment.Dispose();
        }

        _environments.Clear();
    }
}
