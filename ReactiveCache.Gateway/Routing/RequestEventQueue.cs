using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Link;
using ReactiveCache.Gateway.Telemetry;

namespace ReactiveCache.Gateway.Routing;

/// <summary>
/// The bounded queue of request events on their way to the orchestrator. Enqueuing never blocks a
/// request: when the queue is full the event is dropped and counted (metric, and the next batch says how
/// many). With no orchestrator configured nothing is queued.
/// </summary>
public sealed class RequestEventQueue
{
    private readonly Channel<RequestEvent> _channel;
    private readonly GatewayTelemetry _telemetry;
    private long _droppedSinceBatch;
    private long _droppedTotal;

    public RequestEventQueue(IOptions<OrchestratorLinkOptions> options, GatewayTelemetry telemetry)
    {
        _telemetry = telemetry;
        Enabled = options.Value.Enabled;
        _channel = Channel.CreateBounded<RequestEvent>(
            new BoundedChannelOptions(options.Value.EventQueueCapacity)
            {
                FullMode = BoundedChannelFullMode.DropWrite,
                SingleReader = true,
                SingleWriter = false,
            },
            OnDropped);
    }

    public bool Enabled { get; }

    public long DroppedTotal => Interlocked.Read(ref _droppedTotal);

    public ChannelReader<RequestEvent> Reader => _channel.Reader;

    public void Enqueue(RequestEvent requestEvent)
    {
        if (Enabled)
        {
            _channel.Writer.TryWrite(requestEvent);
        }
    }

    /// <summary>Events dropped since the last call (reported in the next batch).</summary>
    public ulong TakeDropped() => (ulong)Interlocked.Exchange(ref _droppedSinceBatch, 0);

    private void OnDropped(RequestEvent _)
    {
        Interlocked.Increment(ref _droppedSinceBatch);
        Interlocked.Increment(ref _droppedTotal);
        _telemetry.EventDropped();
    }
}
