namespace ReactiveCache.Core.Tunnel;

/// <summary>The outcome of checking a <see cref="TunnelToken"/>: its status and, when signed by us, its claims.</summary>
public sealed record TunnelTokenValidation(TunnelTokenStatus Status, IReadOnlyList<string> Keys, DateTimeOffset Expires)
{
    public bool IsValid => Status == TunnelTokenStatus.Valid;

    public static TunnelTokenValidation Fail(TunnelTokenStatus status) => new(status, [], DateTimeOffset.MinValue);
}
