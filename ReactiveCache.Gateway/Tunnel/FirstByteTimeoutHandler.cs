namespace ReactiveCache.Gateway.Tunnel;

/// <summary>
/// Bounds the wait for a function's response head (<see cref="TunnelOptions.FirstByteTimeout"/>): a function that took
/// the request and says nothing fails it as a request error before any byte reached the client, so the chain falls
/// back to S3 instead of holding the client until the request deadline (the Redis layer bounds its first read the same
/// way). The body that follows is bounded by the forwarder's activity timeout, not by this.
/// SocketsHttpHandler has no response-head timeout of its own (only connect and drain timeouts): hence this handler.
/// </summary>
internal sealed class FirstByteTimeoutHandler(TimeSpan timeout, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var head = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        head.CancelAfter(timeout);
        try
        {
            return await base.SendAsync(request, head.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"The function sent no response head within {timeout.TotalMilliseconds:0} ms.", new TimeoutException(e.Message, e));
        }
    }
}
