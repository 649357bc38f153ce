namespace ReactiveCache.Domain.Policy;

/// <summary>The thesis's per-object states (objectManager/state.go).</summary>
public enum ObjectState
{
    /// <summary>Served by S3; no function, not on the node.</summary>
    S3 = 1,

    /// <summary>A function holds the object.</summary>
    Lambda = 2,

    /// <summary>The node is booting (or loading the object); the function is held up by <c>keepRunning</c>.</summary>
    RedisBootup = 3,

    /// <summary>The node serves the object.</summary>
    RedisRunning = 4,

    /// <summary>The object was taken off the node and the node is stopping; Redis may not be restarted.</summary>
    RedisShutdown = 5,

    /// <summary>A function serves the object while the node is still stopping.</summary>
    RestrictedLambda = 6,
}
