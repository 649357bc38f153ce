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

        // Objects of earlier invocations that this one does not hold leave memory before it loads its own.
        catalog.Retain(payload.Keys);
        var warm = await LoadAsync(payload.Keys, cancellationToken);
        activity?.SetTag("faas.warm", warm);

        // The life: one TICK, +1 TICK per served GET, held by keepRunning, ended by shutdown, and never
        // past the Lambda deadline (minus the time needed to say goodbye and respond).
        var timeout = invocation.Deadline - start - options.Value.DeadlineMargin;
        var lifetime = new FunctionLifetime(TimeSpan.FromSeconds(payload.Tick), start, timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero);
        // Tunnels and the control stream go under the orchestrator's invocation id: every token names it.
        var active = new ActiveInvocation(payload.InvocationId, payload.Keys.ToHashSet(StringComparer.Ordinal), lifetime, time);
        catalog.Activate(active);

        using var lifeEnded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var revalidation = payload.MaxAgeSeconds is > 0 and var maxAge
            ? RevalidateAsync(payload.Keys, TimeSpan.FromSeconds(maxAge), lifeEnded.Token)
            : Task.CompletedTask;
        var controlTask = string.IsNullOrWhiteSpace(payload.OrchestratorUrl)
            ? Task.CompletedTask
            : control.RunAsync(payload.OrchestratorUrl, active, payload.TokenFor(payload.OrchestratorUrl)!, lifeEnded.Token);
        // One tunnel into every gateway, each with the token addressed to it: each serves its clients from this function.
        var tunnels = payload.AllGatewayTunnelUrls()
            .Select(url => (Uri: WithInvocation(new Uri(url), active.Id), Token: payload.TokenFor(url)!))
            .Select(t => (t.Uri, t.Token, Session: dialer.Open(t.Uri, t.Token)))
            .ToList();
        string endedBy;
        try
        {
            endedBy = await LiveAsync(active, [.. tunnels.Select(t => t.Session)], cancellationToken);
        }
        finally
        {
            await EndAsync(active, tunnels, invocation.Deadline);
            await lifeEnded.CancelAsync();
            await controlTask;
            await revalidation;
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
        await WhenReadyAsync(active, sessions, refused, cancellationToken);
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

    /// <summary>
    /// Waits for the first tunnel connection (or a refusal, a shutdown, <see cref="FunctionOptions.ReadyTimeout"/>), and
    /// starts the life's first TICK there when it came.
    /// </summary>
    private async Task WhenReadyAsync(ActiveInvocation active, IReadOnlyList<TunnelSession> sessions, Task refused, CancellationToken cancellationToken)
    {
        if (sessions.Count == 0)
        {
            return;
        }

        var ready = Task.WhenAny(sessions.Select(s => s.FirstConnection));
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(ready, refused, active.ShutdownRequested, Task.Delay(options.Value.ReadyTimeout, time, waiting.Token));
        await waiting.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        if (ready.IsCompleted)
        {
            active.OnReady();
        }
    }

    /// <summary>Goodbye to every gateway (no new requests), drain in-flight ones, close the tunnels.</summary>
    private async Task EndAsync(ActiveInvocation active, IReadOnlyList<(Uri Uri, string Token, TunnelSession Session)> tunnels, DateTimeOffset deadline)
    {
        await Task.WhenAll(tunnels.Select(t => GoodbyeAsync(active, t.Uri, t.Token, deadline)));
        if (!await catalog.DrainAsync(options.Value.DrainTimeout, time, CancellationToken.None))
        {
            logger.LogWarning("{InFlight} requests still in flight after {Timeout}: closing anyway", catalog.InFlight, options.Value.DrainTimeout);
        }

        foreach (var (_, _, session) in tunnels)
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

    /// <summary>
    /// Loads every key the environment does not hold yet and revalidates those it holds (a warm start): a conditional
    /// GET on the held copy's ETag moves no body when the object is unchanged. True when every copy was held and current.
    /// </summary>
    private async Task<bool> LoadAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        await RefreshAsync(keys, initial: true, cancellationToken) == 0;

    /// <summary>Every <paramref name="maxAge"/> during the life, the held copies are revalidated (until <paramref name="cancellationToken"/>).</summary>
    private async Task RevalidateAsync(IReadOnlyList<string> keys, TimeSpan maxAge, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(maxAge, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await RefreshAsync(keys, initial: false, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The store did not answer: the copies stay as they are until the next try or the end of the life.
            logger.LogWarning(e, "Revalidating the held objects failed");
        }
    }

    /// <summary>
    /// Brings the held copies of <paramref name="keys"/> to the store's versions; returns how many bodies were read. A
    /// changed object replaces its copy whole (a response in flight keeps the copy it started with). A missing object
    /// fails the invocation when it starts, and is dropped later (its requests then fall back).
    /// </summary>
    private async Task<int> RefreshAsync(IReadOnlyList<string> keys, bool initial, CancellationToken cancellationToken)
    {
        var loaded = 0;
        await Parallel.ForEachAsync(keys.Distinct(StringComparer.Ordinal), cancellationToken, async (key, ct) =>
        {
            var condition = catalog.TryGet(key, out var held) ? VersionCondition.ChangedFrom(held.Metadata.ETag) : default;
            await using var read = await store.GetIfAsync(key, condition, cancellationToken: ct);
            switch (read.Status)
            {
                case ReadStatus.Missing when initial:
                    throw new InvalidPayloadException($"The object store has no object '{key}'.");
                case ReadStatus.Missing:
                    catalog.Remove(key);
                    break;
                case ReadStatus.Found:
                    var stored = read.Object!;
                    var content = new byte[stored.Metadata.Length];
                    await stored.Body.ReadExactlyAsync(content, ct);
                    catalog.Put(key, new InMemoryObject(stored.Metadata, content));
                    Interlocked.Increment(ref loaded);
                    break;
            }
        });
        return loaded;
    }

    /// <summary>
    /// The payload, checked before anything is loaded or dialled: valid keys (the shared key rules), a positive
    /// TICK, an invocation id, gateway and orchestrator URLs from the configured allow-lists only, and a token for each.
    /// </summary>
    private FunctionPayload Parse(byte[] json)
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

        if (payload is null || payload.Keys is null || payload.Keys.Count == 0)
        {
            throw new InvalidPayloadException("The payload names no keys.");
        }

        foreach (var key in payload.Keys)
        {
            if (ObjectKey.Validate(key) is { } violation)
            {
                throw new InvalidPayloadException($"The payload names an invalid key ({violation.Rule}): {violation.Message}");
            }
        }

        if (!(payload.Tick > 0))
        {
            throw new InvalidPayloadException("The payload's tick must be a positive number of seconds.");
        }

        if (string.IsNullOrEmpty(payload.InvocationId) || payload.InvocationId.Length > 128 || !payload.InvocationId.All(char.IsAsciiLetterOrDigit))
        {
            throw new InvalidPayloadException("The payload's invocationId must be 1 to 128 ASCII letters and digits.");
        }

        if (string.IsNullOrEmpty(payload.GatewayTunnelUrl) || !payload.AllGatewayTunnelUrls().All(TunnelProtocol.IsTunnelUrl))
        {
            throw new InvalidPayloadException("The payload's gatewayTunnelUrl and moreGatewayTunnelUrls must be absolute http(s) or ws(s) URLs.");
        }

        var o = options.Value;
        if (payload.AllGatewayTunnelUrls().FirstOrDefault(url => !Allowed(o.AllowedGatewayUrls, url)) is { } gateway)
        {
            throw new InvalidPayloadException($"The payload names a gateway this function may not dial ({gateway}); allowed: Function:AllowedGatewayUrls.");
        }

        if (!string.IsNullOrWhiteSpace(payload.OrchestratorUrl) && !Allowed(o.AllowedOrchestratorUrls, payload.OrchestratorUrl))
        {
            throw new InvalidPayloadException($"The payload names an orchestrator this function may not reach ({payload.OrchestratorUrl}); allowed: Function:AllowedOrchestratorUrls.");
        }

        if (payload.AllGatewayTunnelUrls().Append(payload.OrchestratorUrl).Where(u => !string.IsNullOrWhiteSpace(u)).Any(u => string.IsNullOrEmpty(payload.TokenFor(u!))))
        {
            throw new InvalidPayloadException("The payload has no token for one of its gateways or its orchestrator.");
        }

        return payload;
    }

    /// <summary>Whether <paramref name="url"/> is on <paramref name="allowed"/> (compared in the tokens' audience form).</summary>
    private static bool Allowed(List<string> allowed, string url) =>
        allowed.Exists(a => string.Equals(TunnelToken.Audience(a), TunnelToken.Audience(url), StringComparison.Ordinal));

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
