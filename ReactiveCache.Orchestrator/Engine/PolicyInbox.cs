using System.Threading.Channels;
using ReactiveCache.Domain.Policy;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// The events on their way to the policy, in the order they were posted: requests from the gateways, and the
/// outcomes of the policy's own commands (function ready or ended, node ready or stopped, object loaded, node
/// command failed). Any thread posts; only <see cref="PolicyLoop"/> reads.
/// </summary>
public sealed class PolicyInbox
{
    private readonly Channel<PolicyEvent> _events = Channel.CreateUnbounded<PolicyEvent>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<PolicyEvent> Reader => _events.Reader;

    public void Post(PolicyEvent e) => _events.Writer.TryWrite(e);
}
