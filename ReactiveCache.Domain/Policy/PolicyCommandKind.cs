namespace ReactiveCache.Domain.Policy;

public enum PolicyCommandKind
{
    /// <summary>Invoke a function that holds the key with the given TICK.</summary>
    InvokeFunction = 1,

    /// <summary>Hold the key's function up (the thesis's <c>keepRunning</c>): only a shutdown ends it.</summary>
    KeepRunning = 2,

    /// <summary>End the key's function (the thesis's <c>shutdown</c>).</summary>
    ShutdownFunction = 3,

    /// <summary>Start the cache node.</summary>
    StartNode = 4,

    /// <summary>Copy the key from the store onto the (running) node.</summary>
    LoadObject = 5,

    /// <summary>Gateways serve the key from the given layer.</summary>
    SetRoute = 6,

    /// <summary>Gateways serve the key from S3 again.</summary>
    RemoveRoute = 7,

    /// <summary>Delete the key from the node (the node stays up).</summary>
    EvictObject = 8,

    /// <summary>Wait until every gateway has finished its in-flight node reads (the thesis's <c>redisStop</c> ack).</summary>
    DrainGateways = 9,

    /// <summary>Stop the cache node.</summary>
    StopNode = 10,
}
