using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Costs;
using ReactiveCache.Orchestrator.Gateways;
using ReactiveCache.Orchestrator.Telemetry;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// Turns the gateways' request events into the policy's (and the cost meter's requests). An event that cannot
/// be turned (a receive time out of range, say) is logged, counted and passed over. It waits while the policy is
/// <see cref="PolicyInbox.RequestCapacity"/> requests behind, so that a flood backs up into the gateways' bounded
/// queue (whose drops are counted) instead of growing the inbox.
/// </summary>
public sealed class GatewayEventPump(GatewaySessions gateways, PolicyInbox inbox, CostMeter costs, ILogger<GatewayEventPump> logger) : BackgroundService
{
    private const string Loop = "gateway-events";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var e in gateways.Events.Reader.ReadAllAsync(stoppingToken))
            {
                // Only requests for objects that exist are demand: a 404 must not start a function.
                if (e.StatusCode is not (200 or 206 or 304))
                {
                    continue;
                }

                PolicyEvent request;
                try
                {
                    var received = DateTimeOffset.FromUnixTimeMilliseconds(e.ReceivedUnixMs);
                    var layer = e.ServedBy.ToCacheLayer();
                    costs.Request(servedByS3: layer == CacheLayer.S3);
                    request = PolicyEvent.RequestReceived(e.Key, received, layer);
                }
                catch (Exception failure)
                {
                    logger.LoopFailed(failure, Loop, nameof(Core.Link.RequestEvent), e.Key);
                    continue;
                }

                await inbox.PostRequestAsync(request, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
