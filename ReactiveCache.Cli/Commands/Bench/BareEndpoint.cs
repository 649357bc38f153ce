using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Yarp.ReverseProxy.Forwarder;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// The baseline: bare Kestrel answering <c>GET /objects/{key}</c> with the same bytes from memory. Beside it,
/// two floors, each the baseline plus one hop and nothing else, to tell the gateway's own cost from the hop's:
/// <c>GET /redis/{key}</c> answers with the bytes of ONE Redis read (a GET, into a pooled buffer, of a plain
/// copy of the body stored beside the entries), what any Redis-backed answer pays on the same machine; <c>GET /proxy/{key}</c> forwards to <c>/objects/{key}</c> of
/// this same endpoint over loopback with YARP, what any forwarded answer (the Lambda path's tunnel) pays; with an
/// origin in another process (<see cref="LocalProcess.StartOriginAsync"/>), <c>GET /proxy-out/{key}</c> forwards to it the same way, what
/// a forwarded answer pays when another process serves it, as the function's does.
/// </summary>
public sealed class BareEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _proxyClient;

    private BareEndpoint(WebApplication app, HttpMessageInvoker proxyClient, int port)
    {
        _app = app;
        _proxyClient = proxyClient;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    public static async Task<BareEndpoint> StartAsync(IReadOnlyDictionary<string, byte[]> objects, IDatabase redis, Uri? otherProcess, CancellationToken cancellationToken)
    {
        var port = BenchPorts.Free();
        var self = $"http://127.0.0.1:{port}/";
        foreach (var (key, body) in objects)
        {
            await redis.StringSetAsync(FloorKey(key), body);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddHttpForwarder();
        var app = builder.Build();
        // As the gateway's tunnel client is set up (LambdaTunnelLayer), minus the tunnel.
        var proxyClient = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        });

        MapObjects(app, objects);
        app.MapGet("/redis/{**key}", async (HttpContext context, string key) =>
        {
            using var body = await redis.StringGetLeaseAsync(FloorKey(key));
            if (body is null)
            {
                return HttpResults.NotFound();
            }

            await HttpResults.Bytes(body.Memory, "text/plain").ExecuteAsync(context);
            return HttpResults.Empty;
        });
        MapHop(app, "/proxy/{**key}", self, proxyClient);
        if (otherProcess is not null)
        {
            MapHop(app, "/proxy-out/{**key}", otherProcess.ToString(), proxyClient);
        }

        await app.StartAsync(cancellationToken);
        return new BareEndpoint(app, proxyClient, port);
    }

    /// <summary>The baseline's answer, <c>GET /objects/{key}</c>: the bytes from memory (also what <see cref="LocalProcess.StartOriginAsync"/> serves).</summary>
    public static void MapObjects(IEndpointRouteBuilder app, IReadOnlyDictionary<string, byte[]> objects) =>
        app.MapGet("/objects/{**key}", (string key) =>
            objects.TryGetValue(key, out var body) ? HttpResults.Bytes(body, "text/plain") : HttpResults.NotFound());

    /// <summary>A YARP hop: <paramref name="pattern"/> forwards to <c>/objects/{key}</c> of <paramref name="destination"/>.</summary>
    private static void MapHop(IEndpointRouteBuilder app, string pattern, string destination, HttpMessageInvoker client) =>
        app.MapGet(pattern, async (HttpContext context, string key, IHttpForwarder forwarder) =>
        {
            context.Request.Path = $"/objects/{key}";
            await forwarder.SendAsync(context, destination, client, ForwarderRequestConfig.Empty, HttpTransformer.Empty);
        });

    /// <summary>Where the floor's plain copy of an object's body is (not an entry: the gateway never reads it).</summary>
    private static RedisKey FloorKey(string key) => "bench:floor:" + key;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _proxyClient.Dispose();
    }
}
