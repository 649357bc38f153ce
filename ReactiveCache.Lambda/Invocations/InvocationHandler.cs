using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Functions;
using ReactiveCache.Core.Http;
using ReactiveCache.Core.Objects;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Core.Tunnel;
using ReactiveCache.Lambda.Control;
using ReactiveCache.Lambda.Runtime;
using ReactiveCache.Lambda.Serving;
using ReactiveCache.Lambda.Tunnel;

namespace ReactiveCache.Lambda.Invocations;

/// <summary>
/// One invocation: load the objects (or reuse them, warm), open the tunnel and the control stream,
/// serve until the life ends (<see cref="FunctionLifetime"/>), say goodbye, drain, return.
/// </summary>
public sealed class InvocationHandler(
    IObjectStore store,
    ObjectCatalog catalog,
    TunnelDialer dialer,
    ControlStreamClient control,
    IHttpClientFactory httpClients,
    IOptions<FunctionOptions> options,
    TimeProvider time,
    ILogger<InvocationHandler> logger)
{
    public async Task<FunctionResult> HandleAsync(RuntimeInvocation invocation, CancellationToken cancellationToken)
    {
        var payload = Parse(invocation.Payload);
        var start = time.GetUtcNow();
        using var activity = FunctionTelemetry.Function.Start("invoke", ActivityKind.Server, FunctionTelemetry.ParentFromTraceHeader(invocation.TraceId));
        activity?.SetTag("faas.invocation_id", invocation.RequestId);
        activity?.SetTag("object.keys", string.Join(',', payload.Keys));

        var warm = await LoadAsync(payload.Keys, cancellationToken);
        activity?.SetTag("faas.warm", warm);

        // The life: one TICK, +1 TICK per served GET, held by keepRunning, ended by shutdown, and never
        // past the Lambda deadline (minus the time needed to say goodbye and respond).
        var timeout = invocation.Deadline - start - options.Value.DeadlineMargin;
        var lifetime = new FunctionLifetime(TimeSpan.FromSeconds(payload.Tick), start, timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero);
        var active = new ActiveInvocation(invocation.RequestId, payload.Keys.ToHashSet(StringComparer.Ordinal), lifetime, time);
        catalog.Activate(active);

        using var lifeEnded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var controlTask = string.IsNullOrWhiteSpace(payload.OrchestratorUrl)
            ? Task.CompletedTask
            : control.RunAsync(payload.OrchestratorUrl, active, payload.Token, lifeEnded.Token);
        // One tunnel into every gateway: each serves its clients from this function.
        var tunnels = payload.AllGatewayTunnelUrls()
            .Select(url => WithInvocation(new Uri(url), invocation.RequestId))
            .Select(uri => (Uri: uri, Session: dialer.Open(uri, payload.Token)))
            .ToList();
        string endedBy;
        try
        {
            endedBy = await LiveAsync(active, [.. tunnels.Select(t => t.Session)], cancellationToken);
        }
        finally
        {
            await EndAsync(active, tunnels, payload.Token, invocation.Deadline);
            await lifeEnded.CancelAsync();
            await controlTask;
        }

        var life = time.GetUtcNow() - start;
        activity?.SetTag("faas.ended_by", endedBy);
        activity?.SetTag("function.served", active.Served);
        logger.LogInformation("Invocation {Invocation} ended by {EndedBy} after {LifeMs} ms, {Served} GETs served ({Warm})",
            invocation.RequestId, endedBy, (long)life.TotalMilliseconds, active.Served, warm ? "warm" : "cold");
        return new FunctionResult(invocation.RequestId, payload.Keys, active.Served, endedBy, (long)life.TotalMilliseconds, warm);
    }

    private async Task<string> LiveAsync(ActiveInvocation active, IReadOnlyList<TunnelSession> sessions, CancellationToken cancellationToken)
    {
        // One token for every gateway: any refusal means the invocation cannot serve.
        var refused = Task.WhenAny(sessions.Select(s => s.Refused));
        while (true)
        {
            var (endsAt, isOver, isShutDown, isHeld, timeout) = active.Snapshot();
            if (isOver)
            {
                return isShutDown ? "shutdown" : isHeld || endsAt >= timeout ? "timeout" : "tick";
            }

            if (refused.IsCompleted)
            {
                throw await await refused;
            }

            var wait = endsAt - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                // Wake at the deadline (a served GET may have pushed it: then loop), on shutdown, or on refusal.
                await Task.WhenAny(Task.Delay(wait, time, cancellationToken), active.ShutdownRequested, refused);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>Goodbye to every gateway (no new requests), drain in-flight ones, close the tunnels.</summary>
    private async Task EndAsync(ActiveInvocation active, IReadOnlyList<(Uri Uri, TunnelSession Session)> tunnels, string token, DateTimeOffset deadline)
    {
        await Task.WhenAll(tunnels.Select(t => GoodbyeAsync(active, t.Uri, token, deadline)));
        if (!await catalog.DrainAsync(options.Value.DrainTimeout, time, CancellationToken.None))
        {
            logger.LogWarning("{InFlight} requests still in flight after {Timeout}: closing anyway", catalog.InFlight, options.Value.DrainTimeout);
        }

        foreach (var (_, session) in tunnels)
        {
            await dialer.CloseAsync(session);
        }

        catalog.Deactivate(active);
    }

    private async Task GoodbyeAsync(ActiveInvocation active, Uri connectUri, string token, DateTimeOffset deadline)
    {
        try
        {
            using var goodbye = new HttpRequestMessage(HttpMethod.Delete,
                new Uri(HttpBase(connectUri), $"{TunnelProtocol.InvocationsPath}/{Uri.EscapeDataString(active.Id)}"));
            goodbye.Headers.Authorization = new AuthenticationHeaderValue(TunnelProtocol.Scheme, token);
            // The gateway answers once the requests it already forwarded here have their answers.
            // ...but never past the Lambda deadline, which would kill the environment before it responds.
            var untilDeadline = deadline - time.GetUtcNow() - TimeSpan.FromMilliseconds(100);
            var wait = options.Value.DrainTimeout + TimeSpan.FromSeconds(2);
            using var cts = new CancellationTokenSource(untilDeadline < wait ? (untilDeadline > TimeSpan.Zero ? untilDeadline : TimeSpan.FromMilliseconds(1)) : wait, time);
            using var response = await httpClients.CreateClient(nameof(InvocationHandler)).SendAsync(goodbye, cts.Token);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("The gateway answered the goodbye of {Invocation} with {Status}", active.Id, (int)response.StatusCode);
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            logger.LogWarning("Could not say goodbye to the gateway at {Gateway}: {Error}", HttpBase(connectUri), e.Message);
        }
    }

    /// <summary>Loads every key the environment does not hold yet; true when all were already held (warm).</summary>
    private async Task<bool> LoadAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var missing = keys.Where(k => !catalog.TryGet(k, out _)).Distinct(StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(missing, cancellationToken, async (key, ct) =>
        {
            await using var stored = await store.GetAsync(key, cancellationToken: ct)
                                     ?? throw new InvalidPayloadException($"The object store has no object '{key}'.");
            var content = new byte[stored.Metadata.Length];
            await stored.Body.ReadExactlyAsync(content, ct);
            catalog.Put(key, new InMemoryObject(stored.Metadata, content));
        });
        return missing.Count == 0;
    }

    private static FunctionPayload Parse(byte[] json)
    {
        FunctionPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(json, FunctionJsonContext.Default.FunctionPayload);
        }
        catch (JsonException e)
        {
            throw new InvalidPayloadException($"The payload is not valid JSON: {e.Message}");
        }

        if (payload is null || payload.Keys is null || payload.Keys.Count == 0 || payload.Keys.Any(string.IsNullOrEmpty))
        {
            throw new InvalidPayloadException("The payload names no keys.");
        }

        if (!(payload.Tick > 0))
        {
            throw new InvalidPayloadException("The payload's tick must be a positive number of seconds.");
        }

        if (!payload.AllGatewayTunnelUrls().All(TunnelProtocol.IsTunnelUrl))
        {
            throw new InvalidPayloadException("The payload's gatewayTunnelUrl and moreGatewayTunnelUrls must be absolute http(s) or ws(s) URLs.");
        }

        if (string.IsNullOrEmpty(payload.Token))
        {
            throw new InvalidPayloadException("The payload has no token.");
        }

        return payload;
    }

    private static Uri HttpBase(Uri uri) => new UriBuilder(uri)
    {
        Scheme = uri.Scheme switch { "wss" or "https" => "https", _ => "http" },
        Port = uri.IsDefaultPort ? -1 : uri.Port,
        Path = "/",
        Query = "",
    }.Uri;

    private static Uri WithInvocation(Uri tunnelUrl, string invocationId)
    {
        var builder = new UriBuilder(tunnelUrl);
        var query = builder.Query.TrimStart('?');
        builder.Query = (query.Length > 0 ? query + "&" : "") + $"{TunnelProtocol.InvocationQuery}={Uri.EscapeDataString(invocationId)}";
        return builder.Uri;
    }
}
