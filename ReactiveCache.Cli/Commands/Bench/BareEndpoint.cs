using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using HttpResults = Microsoft.AspNetCore.Http.Results;
using Microsoft.Extensions.Logging;
using ReactiveCache.Core.Caching;
using StackExchange.Redis;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// The baseline: bare Kestrel answering <c>GET /objects/{key}</c> with the same bytes from memory. Beside it,
/// <c>GET /redis/{key}</c> answers with the bytes of ONE Redis read (a GETRANGE of the entry, nothing else):
/// the floor any Redis-backed answer pays on the same machine, to tell the gateway's own cost from the hop's.
/// </summary>
public sealed class BareEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BareEndpoint(WebApplication app, int port)
    {
        _app = app;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    public static async Task<BareEndpoint> StartAsync(IReadOnlyDictionary<string, byte[]> objects, IDatabase redis, CancellationToken cancellationToken)
    {
        var port = BenchPorts.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapGet("/objects/{**key}", (string key) =>
            objects.TryGetValue(key, out var body) ? HttpResults.Bytes(body, "text/plain") : HttpResults.NotFound());
        app.MapGet("/redis/{**key}", async (string key) =>
        {
            var entry = (ReadOnlyMemory<byte>)await redis.StringGetRangeAsync(CacheEntryLayout.EntryKey(key), 0, CacheEntryLayout.MaxHeaderBytes + (64 * 1024) - 1);
            return CacheEntryLayout.TryReadHeader(key, entry.Span, out _, out var headerLength)
                ? HttpResults.Bytes(entry[headerLength..], "text/plain")
                : HttpResults.NotFound();
        });
        await app.StartAsync(cancellationToken);
        return new BareEndpoint(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
