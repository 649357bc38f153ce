namespace ReactiveCache.Core.Tunnel;

/// <summary>The outcome of checking a <see cref="TunnelToken"/>: its status and, when signed by us, its claims.</summary>
/// <param name="InvocationId">The invocation the token was minted for (the id in the payload, not Lambda's request id).</param>
/// <param name="Audience">Whom it is for, in <see cref="TunnelToken.Audience"/> form: a gateway's tunnel URL or the orchestrator's URL.</param>
public sealed record TunnelTokenValidation(TunnelTokenStatus Status, IReadOnlyList<string> Keys, DateTimeOffset Expires, string InvocationId = "", string Audience = "")
{
    public bool IsValid => Status == TunnelTokenStatus.Valid;

    /// <summary>Whether the token is for <paramref name="url"/> (compared in <see cref="TunnelToken.Audience"/> form).</summary>
    public bool IsFor(string url) => string.Equals(Audience, TunnelToken.Audience(url), StringComparison.Ordinal);

    public static TunnelTokenValidation Fail(TunnelTokenStatus status) => new(status, [], DateTimeOffset.MinValue);
}
