namespace ReactiveCache.Core.Tunnel;

public enum TunnelTokenStatus
{
    Valid,
    Missing,
    Malformed,
    BadSignature,
    Expired,
}
