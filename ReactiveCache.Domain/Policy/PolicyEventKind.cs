namespace ReactiveCache.Domain.Policy;

public enum PolicyEventKind
{
    /// <summary>A gateway served a GET for <see cref="PolicyEvent.Key"/> from <see cref="PolicyEvent.Layer"/>.</summary>
    RequestReceived = 1,

    /// <summary>The function invoked for the key is up and can serve (the thesis's <c>lambdaStart</c>).</summary>
    FunctionReady = 2,

    /// <summary>The function invoked for the key returned (its life ran out, or it was shut down).</summary>
    FunctionEnded = 3,

    /// <summary>The cache node answers (the thesis: PING after the instance is running).</summary>
    NodeReady = 4,

    /// <summary>The object was copied onto the node (GET from S3, SET on the node).</summary>
    ObjectLoaded = 5,

    /// <summary>The node is stopped (nothing is left on it).</summary>
    NodeStopped = 6,

    /// <summary>
    /// A node command (<see cref="PolicyEvent.Command"/>: start, load, evict, drain, stop) failed; for a load or an
    /// evict <see cref="PolicyEvent.Key"/> names the object. The commands after it still run.
    /// </summary>
    NodeCommandFailed = 7,
}
