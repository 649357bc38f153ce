using System.ComponentModel.DataAnnotations;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>Configuration section <c>Function</c>: which function to invoke, where, and how it reaches back.</summary>
public sealed class FunctionOptions : IValidatableObject
{
    public const string SectionName = "Function";

    public FunctionInvokerKind Invoker { get; set; } = FunctionInvokerKind.Emulator;

    /// <summary>The function's name (or ARN) in Lambda / in the emulator.</summary>
    public string Name { get; set; } = "reactive-cache-function";

    /// <summary>Emulator: its base URL (service discovery name by default).</summary>
    public string EmulatorUrl { get; set; } = "http://lambda-emulator";

    /// <summary>AWS: the region of the function (e.g. <c>eu-central-1</c>).</summary>
    public string? Region { get; set; }

    /// <summary>AWS: an explicit Lambda endpoint (VPC endpoint, tests); empty for <c>https://lambda.{region}.amazonaws.com</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The gateway's tunnel endpoint as the function reaches it (put in the payload).</summary>
    public string? GatewayTunnelUrl { get; set; }

    /// <summary>Further gateways' tunnel endpoints (<c>Function:MoreGatewayTunnelUrls:0</c>, …): the function tunnels into each.</summary>
    public List<string> MoreGatewayTunnelUrls { get; set; } = [];

    /// <summary>The orchestrator's gRPC address as the function reaches it (put in the payload).</summary>
    public string? OrchestratorUrl { get; set; }

    /// <summary>The function timeout configured in Lambda: tokens expire a little after it.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>
    /// Function invocations running at once, at most (shown on <c>GET /state</c>): one more is refused at once and
    /// the key stays where it is, so that no flood of requests, genuine or forged, starts functions without limit.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConcurrentInvocations { get; set; } = 10;

    /// <summary>Emulator: the access key id the emulator accepts (the AppHost generates the pair); with the secret key, every Invoke is SigV4-signed.</summary>
    public string? EmulatorAccessKey { get; set; }

    /// <summary>Emulator: the secret key of <see cref="EmulatorAccessKey"/> (configuration only: the AppHost's generated parameter).</summary>
    public string? EmulatorSecretKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            yield return new ValidationResult("Function:Name is required.", [nameof(Name)]);
        }

        if (Invoker == FunctionInvokerKind.Aws && string.IsNullOrWhiteSpace(Region) && string.IsNullOrWhiteSpace(Endpoint))
        {
            yield return new ValidationResult("Function:Region is required when Function:Invoker is Aws.", [nameof(Region)]);
        }

        // A function given a gateway URL that is no URL fails every invocation: refuse it on start instead.
        foreach (var url in MoreGatewayTunnelUrls.Prepend(GatewayTunnelUrl).OfType<string>())
        {
            if (!TunnelProtocol.IsTunnelUrl(url))
            {
                yield return new ValidationResult($"Function:GatewayTunnelUrl and Function:MoreGatewayTunnelUrls must be absolute http(s) or ws(s) URLs; '{url}' is not.",
                    [nameof(MoreGatewayTunnelUrls)]);
            }
        }

        if (string.IsNullOrEmpty(EmulatorAccessKey) != string.IsNullOrEmpty(EmulatorSecretKey))
        {
            yield return new ValidationResult("Function:EmulatorAccessKey and Function:EmulatorSecretKey go together.", [nameof(EmulatorSecretKey)]);
        }

        if (Invoker == FunctionInvokerKind.Emulator && !Uri.TryCreate(EmulatorUrl, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Function:EmulatorUrl must be an absolute URL.", [nameof(EmulatorUrl)]);
        }
    }
}
