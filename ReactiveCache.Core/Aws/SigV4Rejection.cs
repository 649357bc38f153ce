namespace ReactiveCache.Core.Aws;

/// <summary>Why a received request's SigV4 signature was refused: AWS's error type for it and a message.</summary>
public sealed record SigV4Rejection(string ErrorType, string Message);
