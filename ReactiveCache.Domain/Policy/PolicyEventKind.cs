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

    /// <summary>The node died or was found stopped without being told to stop (a crash, a killed process, an EC2 stop).</summary>
    NodeLost = 8,

    /// <summary>
    /// The control API pinned <see cref="PolicyEvent.Key"/> to <see cref="PolicyEvent.Layer"/>: the policy lets go of the
    /// key and leaves it alone until <see cref="KeyUnpinned"/> (a Redis pin keeps the node up).
    /// </summary>
    KeyPinned = 9,

    /// <summary>The key's pin ended (its pinned function has ended): the policy takes it up again, from S3.</summary>
    KeyUnpinned = 10,

    /// <summary>The object changed or was removed in the store: every cached copy is stale, the key goes back to S3.</summary>
    ObjectChanged = 11,

    /// <summary>
    /// A restarted orchestrator found the key served from <see cref="PolicyEvent.Layer"/> (a function still holding it,
    /// or the adopted node): the policy takes the key up in the matching state.
    /// </summary>
    KeyRestored = 12,

    /// <summary>
    /// The orchestrator refused to put <see cref="PolicyEvent.Key"/> on <see cref="PolicyEvent.Layer"/>: the object is larger
    /// than that layer's size limit. Comes before the usual end of the refused command (its function's
    /// <see cref="FunctionEnded"/>, its load's <see cref="NodeCommandFailed"/>); not a failure of the node. The policy keeps
    /// the key off that layer until <see cref="ObjectChanged"/> (<see cref="SizeRefusals"/>).
    /// </summary>
    ObjectTooLarge = 13,
}
