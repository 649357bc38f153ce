namespace ReactiveCache.Domain.Policy;

/// <summary>
/// A caching policy: pure decision logic. Events and a clock (<see cref="TimeProvider"/>, given at
/// construction) in, commands out. It never sleeps, starts timers or does I/O: whoever drives it (the
/// orchestrator live, the simulator in virtual time) calls <see cref="OnDue"/> once the clock reaches
/// <see cref="NextDueAt"/> and executes the commands in the order they were added.
/// <para>Not thread-safe: the driver feeds one event at a time (the orchestrator from one loop or under a lock).
/// <see cref="NextDueAt"/> may be earlier than the work actually due (then <see cref="OnDue"/> does nothing
/// but look again); it is never later.</para>
/// </summary>
public interface ICachePolicy
{
    /// <summary>A short name (<c>thesis</c>, <c>default</c>).</summary>
    string Name { get; }

    /// <summary>Where the policy believes the node to be.</summary>
    NodeState Node { get; }

    /// <summary>The earliest moment at which <see cref="OnDue"/> has work, or null.</summary>
    DateTimeOffset? NextDueAt { get; }

    /// <summary>Feeds one event; commands are appended to <paramref name="commands"/>.</summary>
    void Handle(in PolicyEvent e, List<PolicyCommand> commands);

    /// <summary>Runs the periodic work that is due at the provider's current time.</summary>
    void OnDue(List<PolicyCommand> commands);

    /// <summary>A key's state (<see cref="ObjectState.S3"/> for keys never seen).</summary>
    ObjectState StateOf(string key);

    /// <summary>Every key the policy keeps state for.</summary>
    IReadOnlyCollection<string> Keys { get; }
}
