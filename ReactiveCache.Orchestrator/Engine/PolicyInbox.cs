using System.Threading.Channels;
using ReactiveCache.Domain.Policy;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// The events on their way to the policy, in the order they were posted: requests from the gateways, and the
/// outcomes of the policy's own commands (function ready or ended, node ready or stopped, object loaded, node
/// command failed). Any thread posts; only <see cref="PolicyLoop"/> reads, through <see cref="TryRead"/>.
/// <para>Requests are held to <see cref="RequestCapacity"/> at a time (<see cref="PostRequestAsync"/> waits for
/// room): under a flood the gateways' queue fills (bounded, its drops counted), not this one. Outcomes are never
/// held back: they are few (one per command) and the policy must see each.</para>
/// </summary>
public sealed class PolicyInbox
{
    /// <summary>Gateway requests waiting for the policy at most.</summary>
    public const int RequestCapacity = 10_000;

    private readonly Channel<Queued> _events = Channel.CreateUnbounded<Queued>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _requestRoom = new(RequestCapacity, RequestCapacity);

    /// <summary>Gateway requests queued now.</summary>
    public int QueuedRequests => RequestCapacity - _requestRoom.CurrentCount;

    /// <summary>Posts an outcome of the policy's own commands (never waits).</summary>
    public void Post(PolicyEvent e) => _events.Writer.TryWrite(new Queued(e, HoldsRoom: false));

    /// <summary>Posts a gateway's request once fewer than <see cref="RequestCapacity"/> are queued.</summary>
    public async ValueTask PostRequestAsync(PolicyEvent e, CancellationToken cancellationToken)
    {
        await _requestRoom.WaitAsync(cancellationToken);
        _events.Writer.TryWrite(new Queued(e, HoldsRoom: true));
    }

    /// <summary>Completes when an event can be read (false: never again).</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _events.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>The next event, if any; a request read makes room for the next.</summary>
    public bool TryRead(out PolicyEvent e)
    {
        if (!_events.Reader.TryRead(out var queued))
        {
            e = default;
            return false;
        }

        if (queued.HoldsRoom)
        {
            _requestRoom.Release();
        }

        e = queued.Event;
        return true;
    }

    private readonly record struct Queued(PolicyEvent Event, bool HoldsRoom);
}
