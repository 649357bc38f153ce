using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReactiveCache.IntegrationTests.Infrastructure;

/// <summary>What <see cref="FaultyS3Proxy"/> does with each request.</summary>
public enum S3Fault
{
    /// <summary>Forwards to the real S3 server.</summary>
    None,

    /// <summary>Answers 500 <c>InternalError</c>.</summary>
    InternalError,

    /// <summary>Answers 503 <c>SlowDown</c>.</summary>
    SlowDown,

    /// <summary>Answers 403 <c>AccessDenied</c>.</summary>
    AccessDenied,

    /// <summary>Holds the request for <see cref="FaultyS3Proxy.HangFor"/>, then forwards it.</summary>
    Hang,

    /// <summary>
    /// Forwards a GET, sends the answer's headers and its first <see cref="FaultyS3Proxy.StallAfterBytes"/> bytes, then
    /// sends nothing for <see cref="FaultyS3Proxy.HangFor"/> and breaks the connection.
    /// </summary>
    StallBody,
}

/// <summary>
/// A loopback HTTP proxy in front of an S3 API server (s3rver) that can be switched to fail: 500, 503, 403 with
/// S3's XML error bodies, hang, or stall in the middle of a body. Forwarding is YARP's direct forwarder.
/// </summary>
public sealed class FaultyS3Proxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile S3Fault _fault;
    private long _requests;
    private long _heldThenForwarded;

    private FaultyS3Proxy(WebApplication app, string url)
    {
        _app = app;
        ServiceUrl = url;
    }

    public string ServiceUrl { get; }

    public S3Fault Fault { get => _fault; set => _fault = value; }

    public TimeSpan HangFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>With <see cref="S3Fault.StallBody"/>: the body bytes sent before the stall (0: the headers only).</summary>
    public long StallAfterBytes { get; set; }

    /// <summary>Requests that reached the proxy (the SDK's retries included).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests the hang fault held for all of <see cref="HangFor"/> and then forwarded: the caller had not given up on them.</summary>
    public long HeldThenForwarded => Interlocked.Read(ref _heldThenForwarded);

    public static async Task<FaultyS3Proxy> StartAsync(string s3ServiceUrl)
    {
        var port = FreePort.Next();
        var url = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddHttpForwarder();
        var app = builder.Build();
        var proxy = new FaultyS3Proxy(app, url);
        app.Use(proxy.InjectAsync);
        app.MapForwarder("/{**catch-all}", s3ServiceUrl);
        await app.StartAsync();
        return proxy;
    }

    private async Task InjectAsync(HttpContext context, RequestDelegate next)
    {
        Interlocked.Increment(ref _requests);
        switch (_fault)
        {
            case S3Fault.InternalError:
                await ErrorAsync(context, 500, "InternalError", "We encountered an internal error. Please try again.");
                return;
            case S3Fault.SlowDown:
                await ErrorAsync(context, 503, "SlowDown", "Please reduce your request rate.");
                return;
            case S3Fault.AccessDenied:
                await ErrorAsync(context, 403, "AccessDenied", "Access Denied");
                return;
            case S3Fault.Hang:
                try
                {
                    await Task.Delay(HangFor, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return; // the caller gave up
                }

                Interlocked.Increment(ref _heldThenForwarded);
                break;
            case S3Fault.StallBody when HttpMethods.IsGet(context.Request.Method):
                var original = context.Response.Body;
                context.Response.Body = new StallingBody(original, StallAfterBytes, HangFor, context.RequestAborted);
                try
                {
                    await next(context);
                }
                finally
                {
                    context.Response.Body = original;
                }

                return;
        }

        await next(context);
    }

    /// <summary>A response body that passes <c>limit</c> bytes on, flushes them (headers included), then stalls and breaks.</summary>
    private sealed class StallingBody(Stream inner, long limit, TimeSpan stallFor, CancellationToken aborted) : Stream
    {
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var pass = (int)Math.Min(buffer.Length, Math.Max(0, limit - _written));
            if (pass > 0)
            {
                await inner.WriteAsync(buffer[..pass], cancellationToken);
                _written += pass;
            }

            if (pass < buffer.Length)
            {
                await inner.FlushAsync(cancellationToken);
                try
                {
                    await Task.Delay(stallFor, aborted);
                }
                catch (OperationCanceledException)
                {
                    // The caller gave up.
                }

                throw new IOException("The stalled S3 answer is broken off.");
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        // A HEAD answer has no body: the SDK then knows the error by its status alone.
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>fault</RequestId></Error>");
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}
