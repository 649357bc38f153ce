namespace ReactiveCache.Domain.Policy;

/// <summary>
/// What every policy does when the node fails it, in one place: a boot that failed (or a node that died) is not
/// retried at once but after a wait that doubles with each failure up to a cap, so a node that cannot start costs a
/// few billed boots, not a boot loop; a stop that failed is retried on the same backoff until the node is stopped.
/// Pure: the policy passes the time and reads <see cref="NextDueAt"/> into its own.
/// </summary>
public sealed class NodeFailureRules(NodeFailureSettings settings)
{
    private int _bootFailures;
    private int _stopFailures;

    public NodeFailureSettings Settings { get; } = settings;

    /// <summary>Boots that failed (or lives that ended in a crash) since the node last came up.</summary>
    public int BootFailures => _bootFailures;

    /// <summary>Until when a new boot waits (null: a boot may start now).</summary>
    public DateTimeOffset? BootAllowedAt { get; private set; }

    /// <summary>When a failed stop is tried again (null: none pending).</summary>
    public DateTimeOffset? StopRetryAt { get; private set; }

    /// <summary>The policy's own due time must be no later than this.</summary>
    public DateTimeOffset? NextDueAt => StopRetryAt;

    /// <summary>Whether the policy may start the node at <paramref name="now"/>.</summary>
    public bool MayStartNode(DateTimeOffset now) => BootAllowedAt is not { } allowed || now >= allowed;

    /// <summary>The node did not come up (or timed out booting): the next boot waits.</summary>
    public void BootFailed(DateTimeOffset now) => BootAllowedAt = now + Delay(++_bootFailures);

    /// <summary>The node died under the policy: counted as a failed boot, so a crash loop backs off too; no stop is pending any more.</summary>
    public void NodeLost(DateTimeOffset now)
    {
        BootFailed(now);
        NodeStopped();
    }

    /// <summary>The node answers: the boot backoff starts over.</summary>
    public void NodeReady()
    {
        _bootFailures = 0;
        BootAllowedAt = null;
    }

    /// <summary>A stop failed: it is tried again at <see cref="StopRetryAt"/>.</summary>
    public void StopFailed(DateTimeOffset now) => StopRetryAt = now + Delay(++_stopFailures);

    /// <summary>The node stopped (or was lost): no stop is pending any more.</summary>
    public void NodeStopped()
    {
        _stopFailures = 0;
        StopRetryAt = null;
    }

    /// <summary>True once when the retry of a failed stop is due at <paramref name="now"/>.</summary>
    public bool TakeStopRetry(DateTimeOffset now)
    {
        if (StopRetryAt is not { } due || due > now)
        {
            return false;
        }

        StopRetryAt = null;
        return true;
    }

    private TimeSpan Delay(int failures)
    {
        var delay = Settings.RetryDelay;
        for (var i = 1; i < failures && delay < Settings.MaxRetryDelay; i++)
        {
            delay *= 2;
        }

        return delay < Settings.MaxRetryDelay ? delay : Settings.MaxRetryDelay;
    }

    /// <summary>The commands of a (repeated) stop: drain every gateway, then stop.</summary>
    public static void AddStop(List<PolicyCommand> commands)
    {
        commands.Add(PolicyCommand.DrainGateways());
        commands.Add(PolicyCommand.StopNode());
    }
}
