using System.Collections.Concurrent;
using System.Threading.Channels;
using ReactiveCache.Core.Protos.Function;
using ReactiveCache.Orchestrator.Telemetry;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>The open control streams, by invocation; commands are queued per stream.</summary>
public sealed class FunctionControlHub(TimeProvider time, ILogger<FunctionControlHub> logger) : IFunctionControl
{
    /// <summary>How long a command waits for a function that has not connected its stream yet.</summary>
    public static readonly TimeSpan PendingFor = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, ControlConnection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (ControlCommand Command, DateTimeOffset At)> _pending = new(StringComparer.Ordinal);
    private long _dropped;

    /// <summary>Commands given up: a stream whose queue was full (the oldest goes), or a pending command that aged out or found no room.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Commands kept for functions that have not connected yet, at most (one per key).</summary>
    public const int MaxPending = 10_000;

    public IReadOnlyCollection<(string InvocationId, IReadOnlyList<string> Keys)> Connected =>
        [.. _connections.Values.Select(c => (c.InvocationId, c.Keys))];

    /// <summary>A function connected its control stream (its invocation id, the keys it holds): its tunnel is opening.</summary>
    public event Action<string, IReadOnlyList<string>>? FunctionConnected;

    /// <summary>A function's control stream ended (its life ended, or the stream broke: it dials again if it lives on).</summary>
    public event Action<string>? FunctionDisconnected;

    /// <summary>Whether the invocation's control stream is open now.</summary>
    public bool IsConnected(string invocationId) => _connections.ContainsKey(invocationId);

    public bool KeepRunning(string key) => Send(key, new ControlCommand { KeepRunning = new KeepRunning() });

    public bool Shutdown(string key) => Send(key, new ControlCommand { Shutdown = new Shutdown() });

    /// <summary>Tells one invocation (not every function holding its keys) to shut down; false when its stream is not open.</summary>
    public bool ShutdownInvocation(string invocationId)
    {
        var told = _connections.TryGetValue(invocationId, out var connection)
                   && connection.Commands.Writer.TryWrite(new ControlCommand { Shutdown = new Shutdown() });
        logger.LogInformation("Shutdown for invocation {Invocation}: {Told}", invocationId, told ? "sent" : "not connected");
        return told;
    }

    /// <summary>Whether a connected invocation other than <paramref name="invocationId"/> holds <paramref name="key"/>.</summary>
    public bool HeldByAnother(string key, string invocationId) =>
        _connections.Values.Any(c => c.InvocationId != invocationId && c.Keys.Contains(key, StringComparer.Ordinal));

    /// <summary>Drops a command kept for <paramref name="key"/> until its function connects (the function it was meant for is not coming).</summary>
    public void ForgetPending(string key) => _pending.TryRemove(key, out _);

    internal ControlConnection Connect(string invocationId, IReadOnlyList<string> keys)
    {
        var connection = new ControlConnection(invocationId, keys, () => Interlocked.Increment(ref _dropped));
        _connections[invocationId] = connection;
        foreach (var key in keys)
        {
            if (_pending.TryRemove(key, out var pending) && time.GetUtcNow() - pending.At < PendingFor)
            {
                connection.Commands.Writer.TryWrite(pending.Command);
            }
        }

        logger.LogInformation("Function invocation {Invocation} connected its control stream for {Keys}", invocationId, string.Join(", ", keys));
        Announce(invocationId, keys);
        return connection;
    }

    /// <summary>Tells every listener; one that throws is logged and counted, and the others still hear it.</summary>
    private void Announce(string invocationId, IReadOnlyList<string> keys)
    {
        foreach (var listener in FunctionConnected?.GetInvocationList().Cast<Action<string, IReadOnlyList<string>>>() ?? [])
        {
            try
            {
                listener(invocationId, keys);
            }
            catch (Exception failure)
            {
                logger.LoopFailed(failure, "function-control", nameof(FunctionConnected), string.Join(",", keys));
            }
        }
    }

    internal void Disconnect(ControlConnection connection)
    {
        if (_connections.TryRemove(new KeyValuePair<string, ControlConnection>(connection.InvocationId, connection)))
        {
            try
            {
                FunctionDisconnected?.Invoke(connection.InvocationId);
            }
            catch (Exception failure)
            {
                logger.LoopFailed(failure, "function-control", nameof(FunctionDisconnected), connection.InvocationId);
            }
        }

        connection.Commands.Writer.TryComplete();
    }

    private bool Send(string key, ControlCommand command)
    {
        var told = false;
        foreach (var connection in _connections.Values.Where(c => c.Keys.Contains(key, StringComparer.Ordinal)))
        {
            told |= connection.Commands.Writer.TryWrite(command);
        }

        if (!told)
        {
            KeepPending(key, command);
        }

        logger.LogInformation("{Command} for {Key}: {Told}", command.CommandCase, key, told ? "sent" : "kept until a function connects");
        return told;
    }

    /// <summary>Keeps a command for a function not connected yet: expired ones go first, and past the bound the command is dropped.</summary>
    private void KeepPending(string key, ControlCommand command)
    {
        var now = time.GetUtcNow();
        if (_pending.Count >= MaxPending)
        {
            foreach (var (stale, pending) in _pending)
            {
                if (now - pending.At >= PendingFor && _pending.TryRemove(stale, out _))
                {
                    Interlocked.Increment(ref _dropped);
                }
            }
        }

        if (_pending.Count < MaxPending || _pending.ContainsKey(key))
        {
            _pending[key] = (command, now);
        }
        else
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    internal sealed class ControlConnection(string invocationId, IReadOnlyList<string> keys, Action onDropped)
    {
        /// <summary>Commands queued for one stream at most: a function that does not read loses the oldest.</summary>
        public const int Capacity = 64;

        public string InvocationId { get; } = invocationId;

        public IReadOnlyList<string> Keys { get; } = keys;

        public Channel<ControlCommand> Commands { get; } = Channel.CreateBounded<ControlCommand>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true }, _ => onDropped());
    }
}
