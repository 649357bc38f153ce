namespace ReactiveCache.Domain.Policy;

/// <summary>
/// "A key's route matches its state": the routes the gateways may hold for a key in each policy state, checked by
/// the orchestrator after every step of the policy (a mismatch is logged and counted), and by the tests.
/// </summary>
public static class RouteInvariant
{
    /// <summary>
    /// S3 and RedisShutdown: no route. Lambda, RestrictedLambda and RedisBootup: a function's route, or none while the
    /// function is not ready yet (or has ended). RedisRunning: the node's route.
    /// </summary>
    public static bool Holds(ObjectState state, CacheLayer route) => state switch
    {
        ObjectState.S3 or ObjectState.RedisShutdown => route == CacheLayer.S3,
        ObjectState.Lambda or ObjectState.RestrictedLambda or ObjectState.RedisBootup => route is CacheLayer.S3 or CacheLayer.Lambda,
        ObjectState.RedisRunning => route == CacheLayer.Redis,
        _ => false,
    };

    /// <summary>A pinned key: its pinned layer, or none while the pin is being set up (the function starting, the node loading).</summary>
    public static bool HoldsPinned(CacheLayer pinned, CacheLayer route) => route == pinned || route == CacheLayer.S3;
}
