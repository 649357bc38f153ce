namespace ReactiveCache.Core.Functions;

/// <summary>What the orchestrator's invokers and the local Lambda emulator agree on for Lambda's Invoke API.</summary>
public static class LambdaInvokeApi
{
    /// <summary>The SigV4 service name of Lambda.</summary>
    public const string Service = "lambda";

    /// <summary>The region the local emulator signs and checks in (its ARNs say <c>arn:aws:lambda:local:…</c>).</summary>
    public const string EmulatorRegion = "local";
}
