using System.Collections.Concurrent;
using System.Diagnostics;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.Lambda.Tunnel;

/// <summary>One invocation's tunnel to the gateway: where to dial, with which token, how many connections.</summary>
public sealed class TunnelSession
{
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _firstConnection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Exception> _refused = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal TunnelSession(Uri connectUri, string token, int maxConnections, Activity? openActivity)
    {
        ConnectUri = connectUri;
        Token = token;
        Slots = new SemaphoreSlim(maxConnections, maxConnections);
        OpenActivity = openActivity;
    }

    public Uri ConnectUri { get; }

    public string Token { get; }

    /// <summary>Completes when the first connection to the gateway is up (the tunnel is open).</summary>
    public Task FirstConnection => _firstConnection.Task;

    /// <summary>Completes when the gateway refused the token: the invocation cannot serve.</summary>
    public Task<Exception> Refused => _refused.Task;

    internal SemaphoreSlim Slots { get; }

    internal ConcurrentDictionary<StreamConnection, byte> Open { get; } = new();

    internal CancellationToken Closing => _closing.Token;

    internal bool IsClosing => _closing.IsCancellationRequested;

    internal Activity? OpenActivity { get; }

    internal void Connected()
    {
        if (_firstConnection.TrySetResult())
        {
            OpenActivity?.Dispose();
        }
    }

    internal void Refuse(Exception reason)
    {
        OpenActivity?.SetStatus(ActivityStatusCode.Error, reason.Message);
        OpenActivity?.Dispose();
        _refused.TrySetResult(reason);
        _closing.Cancel();
    }

    internal void BeginClose()
    {
        _closing.Cancel();
        OpenActivity?.Dispose();
    }
}
