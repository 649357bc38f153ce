namespace ReactiveCache.Gateway.Layers;

/// <summary>
/// The Lambda layer as the gateway's fallback chain sees it: a function holding the key answers
/// the request through its tunnel (<see cref="Tunnel.LambdaTunnelLayer"/>: YARP over the tunnelled streams).
/// </summary>
/// <remarks>
/// The fallback chain calls it only when the route names Redis or Lambda and <see cref="CanServe"/> is true,
/// through the Lambda circuit breaker; it sets <c>Content-Origin: lambda</c> before the call and clears the
/// response when the call returns <c>false</c> (or throws) before the response started. Registering an
/// implementation is all it takes to join the chain; with none registered the chain skips the layer.
/// </remarks>
public interface ILambdaLayer
{
    /// <summary>Whether a live tunnel of a function holding <paramref name="key"/> is connected now.</summary>
    bool CanServe(string key);

    /// <summary>
    /// Forwards the request to a function holding <paramref name="key"/>. Returns <c>false</c> when no
    /// function could answer before the first response byte was written (the caller falls back to S3);
    /// <c>true</c> when the response was produced by the function (whatever its status).
    /// </summary>
    Task<bool> TryServeAsync(HttpContext context, string key, CancellationToken cancellationToken);

    /// <summary>The function invocations serving through this gateway now, with their keys (reported to a restarted orchestrator).</summary>
    IReadOnlyList<(string InvocationId, IReadOnlyList<string> Keys)> ConnectedFunctions { get; }
}
