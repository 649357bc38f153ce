using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.Lambda.Tunnel;

/// <summary>
/// Dials the tunnel's connections for the active invocation (one upgraded HTTP/1.1 connection or
/// WebSocket per tunnelled HTTP connection,
/// up to <see cref="FunctionOptions.MaxTunnelConnections"/>), and closes them when the invocation ends.
/// The Kestrel app and this dialer live as long as the execution environment (warm reuse).
/// </summary>
public sealed class TunnelDialer(IOptions<FunctionOptions> options, ILogger<TunnelDialer> logger) : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    // One handler for every dial: DNS, TLS and socket settings are shared across invocations.
    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectTimeout = ConnectTimeout,
    });

    /// <summary>Dials in flight at once per invocation: a slow or hanging dial does not hold the others up.</summary>
    private const int ParallelDials = 4;

    private readonly Channel<(StreamConnection Connection, TunnelSession Session)> _ready =
        Channel.CreateUnbounded<(StreamConnection, TunnelSession)>();

    /// <summary>Starts dialling <paramref name="connectUri"/> (the gateway's tunnel endpoint) with the invocation's token.</summary>
    public TunnelSession Open(Uri connectUri, string token)
    {
        var activity = FunctionTelemetry.Tunnel.Start("tunnel open", System.Diagnostics.ActivityKind.Client);
        activity?.SetTag("tunnel.url", connectUri.GetLeftPart(UriPartial.Path));
        var maxConnections = options.Value.MaxTunnelConnections;
        var session = new TunnelSession(connectUri, token, maxConnections, activity);
        for (var i = 0; i < Math.Min(ParallelDials, maxConnections); i++)
        {
            _ = DialLoopAsync(session);
        }

        return session;
    }

    /// <summary>
    /// Stops dialling and drops every connection of <paramref name="session"/>. The caller drained them
    /// first: nothing is in flight, and the gateway, told goodbye, sends nothing more; a close handshake
    /// would only wait for a peer that is not reading idle connections.
    /// </summary>
    public Task CloseAsync(TunnelSession session)
    {
        session.BeginClose();
        foreach (var connection in session.Open.Keys)
        {
            connection.Abort(new ConnectionAbortedException("The invocation ended."));
        }

        return Task.CompletedTask;
    }

    /// <summary>Kestrel's accept: the next connection the dial loops established for a live session.</summary>
    internal async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (connection, session) = await _ready.Reader.ReadAsync(cancellationToken);
            if (!session.IsClosing)
            {
                return connection;
            }

            try
            {
                await connection.DisposeAsync();
            }
            catch (Exception e)
            {
                // An exception out of here would end Kestrel's accept loop, and the environment would serve no more.
                logger.LogWarning("Dropping a connection of a closed tunnel session failed: {Error}", e.Message);
            }
        }
    }

    /// <summary>Keeps the session's connections up: dials whenever a slot is free, until the session closes.</summary>
    private async Task DialLoopAsync(TunnelSession session)
    {
        var failures = 0;
        while (!session.IsClosing)
        {
            try
            {
                await session.Slots.WaitAsync(session.Closing);
                StreamConnection? connection;
                try
                {
                    connection = await DialAsync(session, session.Closing);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Whatever went wrong with one dial must not stop the loop that keeps the tunnel up.
                    logger.LogWarning("Dialling the gateway failed unexpectedly: {Error}", e.Message);
                    connection = null;
                }

                if (connection is not null)
                {
                    failures = 0;
                    _ready.Writer.TryWrite((connection, session));
                    continue;
                }

                session.Slots.Release();
                // The gateway did not answer: back off a little (bounded) and try again.
                failures++;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 25 * (1 << Math.Min(failures, 6)))), session.Closing);
            }
            catch (OperationCanceledException) when (session.IsClosing)
            {
                return;
            }
        }
    }

    private async Task<StreamConnection?> DialAsync(TunnelSession session, CancellationToken cancellationToken)
    {
        Stream stream;
        Action abortTransport;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            (stream, abortTransport) = options.Value.TunnelTransport == TunnelTransport.WebSocket
                ? await DialWebSocketAsync(session, timeout.Token)
                : await DialUpgradeAsync(session, timeout.Token);
        }
        catch (TunnelRefusedException e) when (e.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            logger.LogError("The gateway refused the tunnel ({Status}): the invocation's token is bad or expired.", (int)e.Status);
            session.Refuse(new UnauthorizedAccessException($"The gateway refused the tunnel with {(int)e.Status}."));
            return null;
        }
        catch (Exception e) when (e is TunnelRefusedException or WebSocketException or HttpRequestException or IOException or OperationCanceledException)
        {
            if (!session.IsClosing)
            {
                logger.LogWarning("Could not dial the gateway's tunnel at {Url}: {Error}", session.ConnectUri, e.Message);
            }

            return null;
        }

        if (session.IsClosing)
        {
            // Closed while dialling: hand Kestrel nothing that outlives the session.
            await stream.DisposeAsync();
            return null;
        }

        var connection = new StreamConnection(stream, abortTransport, c =>
        {
            if (session.Open.TryRemove(c, out _))
            {
                session.Slots.Release();
            }
        });
        session.Open[connection] = 0;
        session.Connected();
        return connection;
    }

    /// <summary>
    /// <c>GET</c> with <c>Connection: Upgrade</c>: on the gateway's 101 the handler hands back the raw
    /// connection as the response body, and the tunnelled HTTP runs over it unframed.
    /// </summary>
    private async Task<(Stream, Action)> DialUpgradeAsync(TunnelSession session, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, session.ConnectUri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Authorization = new(TunnelProtocol.Scheme, session.Token);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue(TunnelProtocol.UpgradeToken));
        var response = await _invoker.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.SwitchingProtocols)
        {
            var status = response.StatusCode;
            response.Dispose();
            throw new TunnelRefusedException(status);
        }

        Stream stream;
        try
        {
            stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        // Disposing the upgraded stream closes the socket at once: that is the abort.
        return (stream, () =>
        {
            stream.Dispose();
            response.Dispose();
        });
    }

    private async Task<(Stream, Action)> DialWebSocketAsync(TunnelSession session, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"{TunnelProtocol.Scheme} {session.Token}");
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        try
        {
            await socket.ConnectAsync(ToWebSocketUri(session.ConnectUri), _invoker, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new TunnelRefusedException(status);
            }

            throw;
        }

        // A short close handshake when Kestrel ends a connection; the peer may not be reading.
        return (WebSocketStream.Create(socket, WebSocketMessageType.Binary, TimeSpan.FromSeconds(1)), socket.Abort);
    }

    private static Uri ToWebSocketUri(Uri uri) => new UriBuilder(uri)
    {
        Scheme = uri.Scheme switch { "https" or "wss" => "wss", _ => "ws" },
        Port = uri.IsDefaultPort ? -1 : uri.Port,
    }.Uri;

    public void Dispose() => _invoker.Dispose();

    /// <summary>The gateway answered the dial with a status other than the upgrade.</summary>
    private sealed class TunnelRefusedException(HttpStatusCode status)
        : Exception($"The gateway answered the tunnel dial with {(int)status}.")
    {
        public HttpStatusCode Status { get; } = status;
    }
}
