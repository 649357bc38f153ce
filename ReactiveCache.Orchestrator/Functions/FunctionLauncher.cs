using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Functions;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>
/// What the engine's <c>FunctionRunner</c> calls to start a function for some keys: builds the payload (invocation
/// id, tokens, tunnel and control addresses from <see cref="FunctionOptions"/>) and invokes. At most
/// <see cref="FunctionOptions.MaxConcurrentInvocations"/> run at once: one more is refused at once (as Lambda
/// refuses past its concurrency), so that demand, genuine or forged, cannot start functions without limit.
/// </summary>
public sealed class FunctionLauncher(IFunctionInvoker invoker, FunctionTokens tokens, IOptions<FunctionOptions> options)
{
    private static readonly ActivitySource Source = new("ReactiveCache.Function");

    /// <summary>The status of an invocation refused because <see cref="FunctionOptions.MaxConcurrentInvocations"/> run already.</summary>
    public const int RefusedStatus = 429;

    private readonly ConcurrentDictionary<string, byte> _invocations = new(StringComparer.Ordinal);
    private int _running;
    private long _started;
    private long _refused;

    /// <summary>Invocations running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Invocations started since start.</summary>
    public long Started => Interlocked.Read(ref _started);

    /// <summary>Invocations refused at the cap since start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public int MaxConcurrent => options.Value.MaxConcurrentInvocations;

    /// <summary>
    /// Whether <paramref name="invocationId"/> is an invocation this launcher started and that has not returned yet (false for
    /// a function started by an earlier life of the orchestrator).
    /// </summary>
    public bool IsRunning(string invocationId) => _invocations.ContainsKey(invocationId);

    public async Task<FunctionInvocation> InvokeAsync(IReadOnlyList<string> keys, TimeSpan tick, FunctionInvocationType type, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var gateway = o.GatewayTunnelUrl ?? throw new InvalidOperationException("Function:GatewayTunnelUrl is not set.");
        if (Interlocked.Increment(ref _running) > o.MaxConcurrentInvocations)
        {
            Interlocked.Decrement(ref _running);
            Interlocked.Increment(ref _refused);
            return new FunctionInvocation(RefusedStatus, null, "ConcurrencyLimitReached", []);
        }

        string? invocationId = null;
        try
        {
            Interlocked.Increment(ref _started);
            var payload = tokens.Payload(keys, tick, [gateway, .. o.MoreGatewayTunnelUrls], o.OrchestratorUrl);
            invocationId = payload.InvocationId;
            _invocations[invocationId] = 0;
            using var activity = Source.StartActivity("invoke", ActivityKind.Client);
            activity?.SetTag("layer", "lambda");
            activity?.SetTag("faas.invoked_name", o.Name);
            activity?.SetTag("object.keys", string.Join(',', keys));
            var invocation = await invoker.InvokeAsync(payload, type, cancellationToken);
            activity?.SetTag("faas.invocation_id", invocation.RequestId);
            if (invocation.Result is { } result)
            {
                // OpenTelemetry's FaaS convention: was this a cold start (a new execution environment)?
                activity?.SetTag("faas.coldstart", !result.Warm);
                activity?.SetTag("faas.life_ms", result.LifeMs);
            }

            if (!invocation.Succeeded)
            {
                activity?.SetStatus(ActivityStatusCode.Error, invocation.FunctionError ?? invocation.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            return invocation;
        }
        finally
        {
            if (invocationId is not null)
            {
                _invocations.TryRemove(invocationId, out _);
            }

            Interlocked.Decrement(ref _running);
        }
    }
}
