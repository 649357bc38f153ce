using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>
/// The internal endpoints functions dial: <c>GET /tunnel/connect?invocation=…</c> (an HTTP/1.1 upgrade to
/// <see cref="TunnelProtocol.UpgradeToken"/> or a WebSocket; each carries one HTTP/1.1 connection from the
/// gateway to the function) and the goodbye
/// <c>DELETE /tunnel/invocations/{id}</c>. Both need the invocation's token.
/// </summary>
public static class TunnelEndpoints
{
    public static WebApplication MapLambdaTunnel(this WebApplication app)
    {
        // The WebSocket middleware puts a handshake feature on every HTTP/1.1 request it sees: only the dial path needs one.
        app.UseWhen(static context => context.Request.Path.StartsWithSegments(TunnelProtocol.ConnectPath, StringComparison.Ordinal),
            static branch => branch.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) }));
        var tunnel = app.MapGroup("").WithTags("Tunnel").ExcludeFromDescription();
        tunnel.MapGet(TunnelProtocol.ConnectPath, ConnectAsync);
        tunnel.MapDelete($"{TunnelProtocol.InvocationsPath}/{{invocationId}}", GoodbyeAsync);
        return app;
    }

    private static async Task<IResult> ConnectAsync(HttpContext context, TunnelRegistry registry, TunnelTokenCheck tokens,
        IOptions<TunnelOptions> options, ILoggerFactory loggers)
    {
        var invocationId = context.Request.Query[TunnelProtocol.InvocationQuery].ToString();
        var (claims, refusal) = tokens.Check(context.Request, invocationId);
        if (refusal is not null)
        {
            return refusal;
        }

        if (string.IsNullOrWhiteSpace(invocationId) || invocationId.Length > 256)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invocation missing", $"Name the invocation in the '{TunnelProtocol.InvocationQuery}' query parameter.");
        }

        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var plain = upgrade is { IsUpgradableRequest: true }
                    && string.Equals(context.Request.Headers.Upgrade, TunnelProtocol.UpgradeToken, StringComparison.OrdinalIgnoreCase);
        if (!plain && !context.WebSockets.IsWebSocketRequest)
        {
            context.Response.Headers.Upgrade = TunnelProtocol.UpgradeToken;
            return Problem(StatusCodes.Status426UpgradeRequired, "Upgrade required",
                $"The tunnel endpoint accepts only an HTTP/1.1 upgrade to '{TunnelProtocol.UpgradeToken}' or a WebSocket.");
        }

        var tunnel = registry.Register(invocationId, claims!.Keys);
        if (!tunnel.Keys.SequenceEqual(claims.Keys, StringComparer.Ordinal))
        {
            // Tokens name their invocation, so this takes a forged registration; refuse rather than serve other keys.
            return Problem(StatusCodes.Status403Forbidden, "Not your tunnel", "The token's keys are not the keys of this invocation's tunnel.");
        }

        if (tunnel.SaidGoodbye)
        {
            return Problem(StatusCodes.Status410Gone, "Invocation ended", $"Invocation {invocationId} already said goodbye.");
        }

        if (!tunnel.TryReserveDial(options.Value.MaxConnectionsPerInvocation))
        {
            return Problem(StatusCodes.Status429TooManyRequests, "Too many tunnel connections",
                $"Invocation {invocationId} holds {options.Value.MaxConnectionsPerInvocation} tunnel connections already (Tunnel:MaxConnectionsPerInvocation).");
        }

        try
        {
            return await ServeConnectionAsync(context, registry, tunnel, claims, plain, upgrade!, loggers);
        }
        finally
        {
            tunnel.ReleaseDial();
        }
    }

    /// <summary>Upgrades the accepted dial and holds it open for as long as the connection is in use.</summary>
    private static async Task<IResult> ServeConnectionAsync(HttpContext context, TunnelRegistry registry, FunctionTunnel tunnel,
        TunnelTokenValidation claims, bool plain, IHttpUpgradeFeature upgrade, ILoggerFactory loggers)
    {
        var invocationId = tunnel.InvocationId;
        using var activity = TunnelTelemetry.Start("tunnel connection", System.Diagnostics.ActivityKind.Server);
        activity?.SetTag("faas.invocation_id", invocationId);
        // Dialled on the tunnel port, in plain text: after the 101 the forwarder takes the socket itself.
        var socketFeature = plain && !context.Request.IsHttps ? context.Features.Get<TunnelSocketFeature>() : null;
        var transport = !plain ? "websocket" : socketFeature is null ? TunnelProtocol.UpgradeToken : $"{TunnelProtocol.UpgradeToken} on the tunnel port";
        activity?.SetTag("tunnel.transport", transport);
        TunnelStream stream;
        WebSocket? socket = null;
        if (plain)
        {
            context.Response.Headers.Upgrade = TunnelProtocol.UpgradeToken;
            var upgraded = await upgrade.UpgradeAsync();
            // The 101 is on the wire once the upgrade returns. Kestrel reads the connection only when the
            // upgraded stream is read, so from here the socket's own stream carries the tunnelled HTTP alone,
            // until this request ends (the figures against Kestrel's upgraded stream: docs/gateway.md, "The tunnel port").
            stream = new TunnelStream(socketFeature?.Stream ?? upgraded);
        }
        else
        {
            socket = await context.WebSockets.AcceptWebSocketAsync();
            stream = new TunnelStream(WebSocketStream.Create(socket, WebSocketMessageType.Binary, ownsWebSocket: false));
        }

        using var _ = socket;
        if (tunnel.OpenConnections == 0)
        {
            loggers.CreateLogger(typeof(TunnelEndpoints)).LogInformation(
                "Function invocation {Invocation} tunnelled in for {Keys} (transport {Transport})", invocationId, string.Join(", ", claims.Keys), transport);
        }

        if (socketFeature is not null)
        {
            stream.WatchWhileIdle(socketFeature.Stream.Socket);
        }

        tunnel.Add(stream);
        try
        {
            // Hold the upgraded request open for as long as the connection is in use.
            await stream.Closed.WaitAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The function went away (closed, or its process died).
        }
        finally
        {
            stream.MarkClosed();
            await stream.DisposeAsync();
            if (tunnel.Removed() <= 0 && !tunnel.SaidGoodbye)
            {
                loggers.CreateLogger(typeof(TunnelEndpoints)).LogInformation(
                    "Function invocation {Invocation} lost its last tunnel connection without a goodbye", invocationId);
            }

            registry.Forget(tunnel);
        }

        return TypedResults.Empty;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> GoodbyeAsync(string invocationId, HttpContext context, TunnelRegistry registry,
        TunnelTokenCheck tokens, IOptions<TunnelOptions> options, TimeProvider time)
    {
        // A goodbye only withdraws; an expired (but genuine) token of this invocation may still say it.
        var (claims, refusal) = tokens.Check(context.Request, invocationId, allowExpired: true);
        if (refusal is not null)
        {
            return refusal;
        }

        if (registry.FindInvocation(invocationId) is { } tunnel)
        {
            if (!tunnel.Keys.SequenceEqual(claims!.Keys))
            {
                return Problem(StatusCodes.Status403Forbidden, "Not your invocation", "The token does not belong to this invocation.");
            }

            // No new requests go there; answer once those already forwarded have theirs, so that the
            // function can close its connections without cutting one off.
            tunnel.Goodbye();
            await tunnel.DrainAsync(options.Value.DrainTimeout, time, context.RequestAborted);
            registry.Forget(tunnel);
        }

        return TypedResults.NoContent();
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
