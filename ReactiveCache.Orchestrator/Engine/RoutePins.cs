using System.Collections.Concurrent;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Functions;
using ReactiveCache.Orchestrator.Gateways;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// The control API's pins (<c>PUT /routes/{key}?layer=</c>): serve a key from a layer now, whatever the policy
/// would do (for measurements such as <c>bench latency</c>; run the orchestrator with the <c>S3Only</c> policy so
/// that the policy leaves the pin alone).
/// </summary>
public sealed class RoutePins
{
    /// <summary>The life a pinned function asks for (the function timeout still ends it).</summary>
    private static readonly TimeSpan PinnedFunctionLife = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, bool> _pinnedToLambda = new(StringComparer.Ordinal);
    private readonly GatewaySessions _gateways;
    private readonly IFunctionControl _functionControl;
    private readonly FunctionRunner _functions;
    private readonly NodeWorkQueue _nodeWork;
    private readonly NodeCommands _node;

    public RoutePins(GatewaySessions gateways, IFunctionControl functionControl, FunctionRunner functions, NodeWorkQueue nodeWork, NodeCommands node)
    {
        (_gateways, _functionControl, _functions, _nodeWork, _node) = (gateways, functionControl, functions, nodeWork, node);
        // A key pinned to Lambda is routed once its function is ready, and falls back to S3 when a function of it ends.
        functions.Ready += key =>
        {
            if (_pinnedToLambda.ContainsKey(key))
            {
                _gateways.SetRoute(key, CacheLayer.Lambda);
            }
        };
        functions.Ended += key =>
        {
            if (_pinnedToLambda.TryRemove(key, out _))
            {
                _gateways.RemoveRoute(key);
            }
        };
    }

    /// <summary>
    /// Lambda: a function with a long life holds the key and the route switches when it is ready. Redis: the
    /// node is started if needed and the key loaded, then routed. S3: the pin ends (its function is shut down).
    /// </summary>
    public void Pin(string key, CacheLayer layer)
    {
        switch (layer)
        {
            case CacheLayer.Lambda:
                _pinnedToLambda[key] = true;
                _ = _functions.RunAsync(key, PinnedFunctionLife);
                break;
            case CacheLayer.Redis:
                _nodeWork.Enqueue(PolicyCommandKind.LoadObject, key, ct => _node.LoadAndRouteAsync(key, ct));
                break;
            default:
                if (_pinnedToLambda.TryRemove(key, out _))
                {
                    _functionControl.Shutdown(key);
                }

                _gateways.RemoveRoute(key);
                break;
        }
    }
}
