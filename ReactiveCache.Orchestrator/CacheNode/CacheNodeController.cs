using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ReactiveCache.Orchestrator.Telemetry;

namespace ReactiveCache.Orchestrator.CacheNode;

/// <summary>
/// Owns the cache node's lifecycle: Stopped → Booting → Running → Draining → Stopping → Stopped.
/// Concurrent starts share one boot; a stop first runs the caller's drain (the gateways' acks), so a
/// node is never stopped while a gateway still reads from it. A stop works from any state: a boot under way is
/// cancelled (and whatever it started is stopped), a stopped node is made sure of, a stop under way is joined.
/// A running node that died is marked lost (<see cref="MarkLost"/>); a node found running at start is adopted.
/// </summary>
public sealed class CacheNodeController(ICacheNode node, TimeProvider time, ILogger<CacheNodeController> logger)
{
    private readonly Lock _lock = new();
    private readonly List<CacheNodeRun> _runs = [];
    private CacheNodeState _state = CacheNodeState.Stopped;
    private DateTimeOffset _since = time.GetUtcNow();
    private CacheNodeEndpoint? _endpoint;
    private string? _lastError;
    private Task<CacheNodeEndpoint>? _boot;
    private CancellationTokenSource? _bootCancel;
    private Task? _stop;

    /// <summary>Raised after every state change (outside the lock).</summary>
    public event Action<CacheNodeStatus>? Changed;

    public CacheNodeStatus Status
    {
        get
        {
            lock (_lock)
            {
                return new CacheNodeStatus(_state, _endpoint?.ToString(), _since, [.. _runs], _lastError);
            }
        }
    }

    public CacheNodeEndpoint? Endpoint
    {
        get
        {
            lock (_lock)
            {
                return _state == CacheNodeState.Running ? _endpoint : null;
            }
        }
    }

    /// <summary>
    /// The status now, then after every change, until <paramref name="cancellationToken"/> ends: what a watcher
    /// follows instead of asking again and again (<c>GET /node/events</c>). A slow watcher sees the latest status.
    /// </summary>
    public async IAsyncEnumerable<CacheNodeStatus> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var changes = Channel.CreateBounded<CacheNodeStatus>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        void OnChanged(CacheNodeStatus status) => changes.Writer.TryWrite(status);
        Changed += OnChanged;
        try
        {
            yield return Status;
            while (await changes.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (changes.Reader.TryRead(out var status))
                {
                    yield return status;
                }
            }
        }
        finally
        {
            Changed -= OnChanged;
        }
    }

    /// <summary>Boots the node, or joins the boot under way, or returns the running node's endpoint.</summary>
    public Task<CacheNodeEndpoint> StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_state == CacheNodeState.Running && _endpoint is not null)
            {
                return Task.FromResult(_endpoint);
            }

            if (_state == CacheNodeState.Booting && _boot is not null)
            {
                return _boot;
            }

            if (_state is CacheNodeState.Draining or CacheNodeState.Stopping)
            {
                throw new InvalidOperationException($"The cache node is {_state}; it can start again once stopped.");
            }

            _runs.Add(new CacheNodeRun(time.GetUtcNow(), null, null));
            Move(CacheNodeState.Booting);
            _bootCancel?.Dispose();
            _bootCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _boot = BootAsync(_bootCancel.Token);
        }

        Notify();
        return _boot;
    }

    /// <summary>
    /// Drains (the caller's handshake with the gateways), then stops the node. From Booting the boot is cancelled
    /// first; from Stopped the node is asked to stop anyway (an instance or a process left over is stopped); a stop
    /// under way is joined.
    /// </summary>
    public Task StopAsync(Func<CancellationToken, Task> drain, CancellationToken cancellationToken)
    {
        Task<CacheNodeEndpoint>? boot = null;
        lock (_lock)
        {
            if (_state is CacheNodeState.Draining or CacheNodeState.Stopping && _stop is not null)
            {
                return _stop;
            }

            switch (_state)
            {
                case CacheNodeState.Booting:
                    boot = _boot;
                    _bootCancel?.Cancel();
                    break;
                case CacheNodeState.Stopped:
                    return node.StopAsync(cancellationToken);
            }

            if (boot is null)
            {
                Move(CacheNodeState.Draining);
                _stop = StopCoreAsync(drain, cancellationToken);
            }
        }

        if (boot is not null)
        {
            return StopAfterBootAsync(boot, drain, cancellationToken);
        }

        Notify();
        return _stop!;
    }

    /// <summary>
    /// A node that was running died (its process exited, its instance stopped): its run ends now, and whatever is
    /// left of it is stopped. False when the node is no longer the one at <paramref name="endpoint"/> or not running.
    /// </summary>
    public async Task<bool> MarkLostAsync(CacheNodeEndpoint endpoint, string reason)
    {
        lock (_lock)
        {
            if (_state != CacheNodeState.Running || _endpoint != endpoint)
            {
                return false;
            }

            _endpoint = null;
            _lastError = reason;
            _runs[^1] = _runs[^1] with { Stopped = time.GetUtcNow() };
            Move(CacheNodeState.Stopped);
        }

        logger.LogWarning("The cache node at {Endpoint} was lost: {Reason}", endpoint, reason);
        Notify();
        await StopQuietlyAsync();
        return true;
    }

    /// <summary>A node found running when the orchestrator started: it is ours now, as if this orchestrator had booted it.</summary>
    public bool Adopt(CacheNodeEndpoint endpoint)
    {
        lock (_lock)
        {
            if (_state != CacheNodeState.Stopped)
            {
                return false;
            }

            var now = time.GetUtcNow();
            _runs.Add(new CacheNodeRun(now, now, null));
            _endpoint = endpoint;
            Move(CacheNodeState.Running);
        }

        logger.LogInformation("Adopted the cache node running at {Endpoint}", endpoint);
        Notify();
        return true;
    }

    private async Task StopAfterBootAsync(Task<CacheNodeEndpoint> boot, Func<CancellationToken, Task> drain, CancellationToken cancellationToken)
    {
        try
        {
            await boot;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The cancelled boot stopped what it had started.
        }

        await StopAsync(drain, cancellationToken);
    }

    private async Task<CacheNodeEndpoint> BootAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var activity = OrchestratorTelemetry.Source.StartActivity("cache-node boot");
        var started = time.GetTimestamp();
        OrchestratorTelemetry.NodeStarts.Add(1);
        try
        {
            var endpoint = await node.StartAsync(cancellationToken);
            var elapsed = time.GetElapsedTime(started);
            activity?.SetTag("cache_node.endpoint", endpoint.ToString());
            activity?.SetTag("cache_node.boot_ms", elapsed.TotalMilliseconds);
            OrchestratorTelemetry.NodeBootDuration.Record(elapsed.TotalMilliseconds);
            logger.LogInformation("Cache node running at {Endpoint} after {Elapsed} ms", endpoint, (int)elapsed.TotalMilliseconds);
            lock (_lock)
            {
                _endpoint = endpoint;
                _lastError = null;
                _runs[^1] = _runs[^1] with { Ready = time.GetUtcNow() };
                Move(CacheNodeState.Running);
            }

            Notify();
            return endpoint;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            logger.LogError(e, "The cache node did not start");
            // A failed boot may have left a half-started node: stop it so that billing ends.
            await StopQuietlyAsync();
            lock (_lock)
            {
                _lastError = e.Message;
                _runs[^1] = _runs[^1] with { Stopped = time.GetUtcNow() };
                Move(CacheNodeState.Stopped);
            }

            Notify();
            throw;
        }
    }

    private async Task StopCoreAsync(Func<CancellationToken, Task> drain, CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var activity = OrchestratorTelemetry.Source.StartActivity("cache-node stop");
        try
        {
            await drain(cancellationToken);
            lock (_lock)
            {
                Move(CacheNodeState.Stopping);
            }

            Notify();
            await node.StopAsync(cancellationToken);
            lock (_lock)
            {
                _endpoint = null;
                _lastError = null;
                _runs[^1] = _runs[^1] with { Stopped = time.GetUtcNow() };
                Move(CacheNodeState.Stopped);
            }

            logger.LogInformation("Cache node stopped");
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            logger.LogError(e, "The cache node did not stop; it stays Running");
            lock (_lock)
            {
                _lastError = e.Message;
                Move(CacheNodeState.Running);
            }

            throw;
        }
        finally
        {
            Notify();
        }
    }

    private async Task StopQuietlyAsync()
    {
        try
        {
            await node.StopAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Stopping the cache node after a failed boot failed too");
        }
    }

    private void Move(CacheNodeState state)
    {
        _state = state;
        _since = time.GetUtcNow();
        Activity.Current?.AddEvent(new ActivityEvent($"cache node {state}"));
    }

    private void Notify() => Changed?.Invoke(Status);
}
