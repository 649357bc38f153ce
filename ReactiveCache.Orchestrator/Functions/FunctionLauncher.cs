using System.Diagnostics;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Functions;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>
/// What the engine's <c>FunctionRunner</c> calls to start a function for some keys: builds the payload (token, tunnel
/// and control addresses from <see cref="FunctionOptions"/>) and invokes.
/// </summary>
public sealed class FunctionLauncher(IFunctionInvoker invoker, FunctionTokens tokens, IOptions<FunctionOptions> options)
{
    private static readonly ActivitySource Source = new("ReactiveCache.Function");

    public async Task<FunctionInvocation> InvokeAsync(IReadOnlyList<string> keys, TimeSpan tick, FunctionInvocationType type, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var gateway = o.GatewayTunnelUrl ?? throw new InvalidOperationException("Function:GatewayTunnelUrl is not set.");
        var payload = new FunctionPayload(keys, tick.TotalSeconds, gateway, o.OrchestratorUrl, tokens.Mint(keys),
            o.MoreGatewayTunnelUrls.Count > 0 ? o.MoreGatewayTunnelUrls : null);
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
}
