namespace ReactiveCache.Core.Aws;

/// <summary>An AWS key pair (and session token, for temporary credentials) to sign with.</summary>
public sealed record SigV4Credentials(string AccessKey, string SecretKey, string? SessionToken = null);
