namespace ReactiveCache.Core.Aws;

/// <summary>The forms a SigV4 signing goes through (the test suite publishes each).</summary>
public sealed record SigV4Signature(string CanonicalRequest, string StringToSign, string Signature, string Authorization);
