using System.Diagnostics;
using ReactiveCache.Core.Link;
using ReactiveCache.Core.Routing;
using ReactiveCache.Gateway.Objects;
using ReactiveCache.Gateway.Origin;
using ReactiveCache.Gateway.Routing;
using ReactiveCache.Gateway.Telemetry;
using ReactiveCache.Domain;

namespace ReactiveCache.Gateway.Layers;

/// <summary>
/// Serves one object request down the chain redis → lambda → s3, starting at the layer the route table
/// names (a Lambda route tries the function, then the node: <see cref="CacheOrder"/>). Every miss or failure
/// before the first response byte moves on to the next layer, so a client
/// never gets an error that S3 could have answered. Records the span, the metrics and the request event.
/// </summary>
public sealed partial class FallbackChain(
    RouteTable routes,
    RedisLayer redis,
    OriginLayer origin,
    LayerCircuitBreakers breakers,
    RequestEventQueue events,
    GatewayTelemetry telemetry,
    ILogger<FallbackChain> logger,
    ILambdaLayer? lambda = null)
{
    private readonly RedisLayer _redis = redis;

    public async Task ServeAsync(HttpContext context, ObjectRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        var cancellationToken = context.RequestAborted;
        var route = routes.Lookup(request.Key);
        using var activity = GatewayTelemetry.Source.StartActivity(request.IsHead ? "HEAD object" : "GET object");
        activity?.SetTag(GatewayTelemetry.TagKey, request.Key);
        activity?.SetTag(GatewayTelemetry.TagRoute, route.ToName());

        Fallbacks fallbacks = default;
        var served = CacheLayer.S3;

        foreach (var layer in CacheOrder(route))
        {
            // The layer is awaited here rather than in a helper of its own: that would cost a state machine per layer tried.
            LayerOutcome outcome;
            if (layer == CacheLayer.Redis || (lambda is not null && breakers.Allows(CacheLayer.Lambda) && lambda.CanServe(request.Key)))
            {
                try
                {
                    outcome = await (layer == CacheLayer.Redis
                        ? _redis.TryServeAsync(context, request, cancellationToken)
                        : TryLambdaAsync(context, request, cancellationToken));
                }
                catch (Exception e) when (!context.Response.HasStarted && !cancellationToken.IsCancellationRequested)
                {
                    LogLayerFailed(e, layer.ToName(), request.Key);
                    outcome = LayerOutcome.Failed;
                }

                if (outcome != LayerOutcome.Served && !context.Response.HasStarted)
                {
                    // Nothing reached the client: whatever the layer set is wiped before the next one answers.
                    context.Response.Clear();
                }
            }
            else
            {
                outcome = LayerOutcome.Unavailable;
            }

            if (outcome == LayerOutcome.Served)
            {
                served = layer;
                break;
            }

            // The routed layer's outcome is always a fallback; a second chance that is not there is none.
            if (layer == route || outcome != LayerOutcome.Unavailable)
            {
                fallbacks.Add(layer, outcome, telemetry);
            }
        }

        if (served == CacheLayer.S3)
        {
            await ServeFromOriginAsync(context, request, cancellationToken);
        }

        var status = context.Response.StatusCode;
        telemetry.RequestServed(served, Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (activity is not null)
        {
            activity.SetTag(GatewayTelemetry.TagLayer, served.ToName());
            activity.SetTag(GatewayTelemetry.TagFallbackCount, GatewayTelemetry.Boxed(fallbacks.Count));
            var method = context.Request.Method;
            // The layer (and why the request fell back) in the span names, so that the dashboard's trace list tells it;
            // the names of a request served without a fallback are made once.
            if (fallbacks.Count == 0 && GatewayTelemetry.ServedSpanNames(method, served) is { } names)
            {
                activity.DisplayName = names.SpanName;
                context.Items[Microsoft.Extensions.Hosting.Extensions.ServerSpanNameItem] = names.ServerSpanName;
            }
            else
            {
                var why = fallbacks.Count > 0 ? fallbacks.Describe() : null;
                if (why is not null)
                {
                    activity.SetTag(GatewayTelemetry.TagFallbacks, why);
                }

                var suffix = GatewayTelemetry.ServedSuffix(served, why);
                activity.DisplayName += suffix;
                context.Items[Microsoft.Extensions.Hosting.Extensions.ServerSpanNameItem] = $"{method} {ObjectEndpoints.Pattern}{suffix}";
            }
        }

        if (events.Enabled)
        {
            var requestEvent = new RequestEvent
            {
                Key = request.Key,
                ReceivedUnixMs = request.ReceivedUnixMs,
                ServedBy = served.ToWire(),
                StatusCode = status,
            };
            fallbacks.AddTo(requestEvent);
            events.Enqueue(requestEvent);
        }
    }

    private static readonly CacheLayer[] RedisFirst = [CacheLayer.Redis, CacheLayer.Lambda];
    private static readonly CacheLayer[] LambdaFirst = [CacheLayer.Lambda, CacheLayer.Redis];

    /// <summary>
    /// The cache layers a route tries before S3. A Redis route: the node, then a function holding the key.
    /// A Lambda route: the function, then the node — at the switch to Redis the function is told to shut down
    /// on its control stream while the route delta is still on its way here, and the node already holds the
    /// key then (without a node, or while it drains, that try costs nothing).
    /// </summary>
    private static CacheLayer[] CacheOrder(CacheLayer route) => route switch
    {
        CacheLayer.Redis => RedisFirst,
        CacheLayer.Lambda => LambdaFirst,
        _ => [],
    };

    private async Task<LayerOutcome> TryLambdaAsync(HttpContext context, ObjectRequest request, CancellationToken cancellationToken)
    {
        // The chain names the layer; the function's response (status, ETag, Range, body) passes through as it is.
        context.Response.Headers[ContentOrigin.HeaderName] = CacheLayer.Lambda.ToName();
        bool answered;
        try
        {
            answered = await lambda!.TryServeAsync(context, request.Key, cancellationToken) || context.Response.HasStarted;
        }
        catch (Exception) when (!context.Response.HasStarted && !cancellationToken.IsCancellationRequested)
        {
            breakers.ReportFailure(CacheLayer.Lambda);
            throw;
        }

        // A function that could not answer counts as a failure for the circuit; a client that went away
        // while it answered is nobody's failure, and nothing is left to serve (no fallback to S3).
        if (!answered)
        {
            cancellationToken.ThrowIfCancellationRequested();
            breakers.ReportFailure(CacheLayer.Lambda);
            return LayerOutcome.Failed;
        }

        breakers.ReportSuccess(CacheLayer.Lambda);
        return LayerOutcome.Served;
    }

    private async Task ServeFromOriginAsync(HttpContext context, ObjectRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await origin.ServeAsync(context, request, cancellationToken);
        }
        catch (Exception e) when (!context.Response.HasStarted && !cancellationToken.IsCancellationRequested)
        {
            await origin.WriteFailureAsync(context, request.Key, e);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted && cancellationToken.IsCancellationRequested)
        {
            // The request ended (its client left, or its deadline passed) as the store failed: it ends as a
            // cancellation, which the request deadline answers with its 504 (never a 500).
            throw new OperationCanceledException("The request ended while the store of record failed.", e, cancellationToken);
        }
    }

    [LoggerMessage(LogLevel.Warning, "The {Layer} layer failed for '{Key}'; falling back")]
    private partial void LogLayerFailed(Exception exception, string layer, string key);

    /// <summary>The layers a request fell back from, without allocating on the hot path (at most two).</summary>
    private struct Fallbacks
    {
        private (CacheLayer Layer, LayerOutcome Outcome) _first;
        private (CacheLayer Layer, LayerOutcome Outcome) _second;

        public int Count { get; private set; }

        public void Add(CacheLayer layer, LayerOutcome outcome, GatewayTelemetry telemetry)
        {
            if (Count == 0)
            {
                _first = (layer, outcome);
            }
            else
            {
                _second = (layer, outcome);
            }

            Count++;
            telemetry.FallbackTaken(layer, outcome.ToName());
        }

        public readonly string Describe() => Count switch
        {
            0 => "",
            1 => $"{_first.Layer.ToName()}:{_first.Outcome.ToName()}",
            _ => $"{_first.Layer.ToName()}:{_first.Outcome.ToName()},{_second.Layer.ToName()}:{_second.Outcome.ToName()}",
        };

        public readonly void AddTo(RequestEvent requestEvent)
        {
            if (Count > 0)
            {
                requestEvent.FellBackFrom.Add(_first.Layer.ToWire());
            }

            if (Count > 1)
            {
                requestEvent.FellBackFrom.Add(_second.Layer.ToWire());
            }
        }
    }
}
