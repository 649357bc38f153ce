using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ReactiveCache.Gateway.Layers;
using ReactiveCache.Gateway.Limits;
using Yarp.ReverseProxy.Forwarder;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>
/// The Lambda layer: forwards the request through YARP's <see cref="IHttpForwarder"/> to a function
/// holding the key, over an HTTP client whose connections are the functions' tunnels.
/// </summary>
internal sealed class LambdaTunnelLayer : ILambdaLayer, IDisposable
{
    private readonly TunnelRegistry _registry;
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _invoker;
    private readonly ForwarderRequestConfig _requestConfig;
    private readonly TunnelResponseTransformer _transformer = new();
    private readonly ILogger<LambdaTunnelLayer> _logger;
    private readonly int _maxBufferedBytes;
    private readonly HeldBodyBudget _heldBodies;

    public LambdaTunnelLayer(TunnelRegistry registry, IHttpForwarder forwarder, IOptions<TunnelOptions> options, HeldBodyBudget heldBodies, ILogger<LambdaTunnelLayer> logger)
    {
        _heldBodies = heldBodies;
        _registry = registry;
        _forwarder = forwarder;
        _logger = logger;
        var connectTimeout = options.Value.ConnectTimeout;
        _maxBufferedBytes = options.Value.MaxBufferedBytes;
        _invoker = new HttpMessageInvoker(new FirstByteTimeoutHandler(options.Value.FirstByteTimeout, new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            // HTTP/1.1, one request at a time per tunnel connection (the function's Kestrel speaks only that).
            // HTTP/2 over one connection was no faster at 1 KB and slower at 1 MB, where every 16 KiB DATA frame
            // is a hand-off between the client's connection reader and the request (measured: docs/gateway.md,
            // "Tunnel transport").
            // At most as many requests at once per function as it keeps connections; more wait for one.
            MaxConnectionsPerServer = options.Value.MaxConnectionsPerFunction,
            // A connection the pool keeps between requests is nobody's to watch: the pool notices a dead one only
            // when it scavenges (a quarter of this timeout) or a request tries it. A short idle life hands unused
            // connections back to the function, which dials them again into the idle queue, where they are watched
            // (TunnelStream.WatchWhileIdle): a function whose process died is forgotten within about a second.
            PooledConnectionIdleTimeout = options.Value.PooledIdleTimeout,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            ConnectTimeout = connectTimeout,
            // A "connection" is an idle tunnel the function opened: take one instead of dialling.
            ConnectCallback = async (context, cancellationToken) =>
            {
                var tunnel = registry.FindHost(context.DnsEndPoint.Host)
                             ?? throw new HttpRequestException($"No function tunnel is connected as {context.DnsEndPoint.Host}.");
                return await tunnel.TakeAsync(connectTimeout, cancellationToken);
            },
        }));
        _requestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = options.Value.ActivityTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    // Not Pick: a check that took a turn would leave every request with the same function of two.
    public bool CanServe(string key) => _registry.Serves(key);

    public IReadOnlyList<(string InvocationId, IReadOnlyList<string> Keys)> ConnectedFunctions => _registry.Serving;

    public Task<bool> TryServeAsync(HttpContext context, string key, CancellationToken cancellationToken)
    {
        var tunnel = _registry.Pick(key);
        return tunnel is not null && tunnel.TryEnter() ? ForwardAsync(context, key, tunnel, cancellationToken) : NotServed;
    }

    private static readonly Task<bool> NotServed = Task.FromResult(false);

    /// <summary>Forwards the request through <paramref name="tunnel"/> (entered) and leaves it when done: one async method
    /// for both, so that a request costs one state machine.</summary>
    private async Task<bool> ForwardAsync(HttpContext context, string key, FunctionTunnel tunnel, CancellationToken cancellationToken)
    {
        try
        {
            using var activity = TunnelTelemetry.Start("tunnelled GET", ActivityKind.Client);
            activity?.SetTag("object.key", key);
            activity?.SetTag("faas.invocation_id", tunnel.InvocationId);
            // The body is held back until complete (up to a limit): a tunnel that breaks mid-body still falls back.
            var bodyFeature = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
            using var buffered = new BufferedResponseBody(bodyFeature.Stream, _maxBufferedBytes, _heldBodies);
            context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffered));
            var abort = DeferredAbort.Install(context);
            ForwarderError error;
            try
            {
                error = await _forwarder.SendAsync(context, tunnel.Destination, _invoker, _requestConfig, _transformer, cancellationToken);
            }
            finally
            {
                context.Features.Set(bodyFeature);
                abort.Restore(context);
            }

            var miss = context.Items.Remove(TunnelResponseTransformer.MissKey);
            if (error == ForwarderError.None && !miss)
            {
                await buffered.CompleteAsync(cancellationToken);
                activity?.SetTag("http.response.status_code", context.Response.StatusCode);
                return true;
            }

            if (context.Response.HasStarted || buffered.Spilled)
            {
                // Bytes already reached the client: nothing can be taken back; the client sees the abort.
                activity?.SetStatus(ActivityStatusCode.Error, error.ToString());
                if (abort.Requested)
                {
                    abort.Apply();
                }

                return true;
            }

            _logger.LogDebug("Lambda layer could not serve {Key} ({Error}{Miss}): falling back", key, error, miss ? ", the function missed or failed" : "");
            activity?.SetTag("fallback", true);
            activity?.SetStatus(ActivityStatusCode.Error, miss ? "miss" : error.ToString());
            context.Response.Clear();
            context.Features.Set<IForwarderErrorFeature>(null);
            return false;
        }
        finally
        {
            tunnel.Exit();
        }
    }

    public void Dispose() => _invoker.Dispose();
}
