namespace ReactiveCache.Orchestrator.Functions;

public enum FunctionInvokerKind
{
    /// <summary>The local Lambda emulator (Aspire resource <c>lambda-emulator</c>).</summary>
    Emulator,

    /// <summary>AWS Lambda, SigV4-signed, credentials from the default AWS chain.</summary>
    Aws,
}
