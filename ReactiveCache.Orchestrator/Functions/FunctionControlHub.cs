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

    public IReadOnlyCollection<(string InvocationId, IReadOnlyList<string> Keys)> Connected =>
        [.. _connections.Values.Select(c => (c.InvocationId, c.Keys))];

    /// <summary>A function connected its control stream: it holds <c>keys</c> and its tunnel is opening.</summary>
    public event Action<IReadOnlyList<string>>? FunctionConnected;

    /// <summary>A function's control stream ended (its life ended, or the stream broke: it dials again if it lives on).</summary>
    public event Action<string>? FunctionDisconnected;

    /// <summary>Whether the invocation's control stream is open now.</summary>
    public bool IsConnected(string invocationId) => _connections.ContainsKey(invocationId);

    public bool KeepRunning(string key) => Send(key, new ControlCommand { KeepRunning = new KeepRunning() });

    public bool Shutdown(string key) => Send(key, new ControlCommand { Shutdown = new Shutdown() });

    /// <summary>Drops a command kept for <paramref name="key"/> until its function connects (the function it was meant for is not coming).</summary>
    public void ForgetPending(string key) => _pending.TryRemove(key, out _);

    internal ControlConnection Connect(string invocationId, IReadOnlyList<string> keys)
    {
        var connection = new ControlConnection(invocationId, keys);
        _connections[invocationId] = connection;
        foreach (var key in keys)
        {
            if (_pending.TryRemove(key, out var pending) && time.GetUtcNow() - pending.At < PendingFor)
            {
                connection.Commands.Writer.TryWrite(pending.Command);
            }
        }

        logger.LogInformation("Function invocation {Invocation} connected its control stream for {Keys}", invocationId, string.Join(", ", keys));
        Announce(keys);
        return connection;
    }

    /// <summary>Tells every listener; one that throws is logged and counted, and the others still hear it.</summary>
    private void Announce(IReadOnlyList<string> keys)
    {
        foreach (var listener in FunctionConnected?.GetInvocationList().Cast<Action<IReadOnlyList<string>>>() ?? [])
        {
            try
            {
                listener(keys);
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
            _pending[key] = (command, time.GetUtcNow());
        }

        logger.LogInformation("{Command} for {Key}: {Told}", command.CommandCase, key, told ? "sent" : "kept until a function connects");
        return told;
    }

    internal sealed class ControlConnection(string invocationId, IReadOnlyList<string> keys)
    {
        public string InvocationId { get; } = invocationId;

        public IReadOnlyList<string> Keys { get; } = keys;

        public Channel<ControlCommand> Commands { get; } = Channel.CreateUnbounded<ControlCommand>();
    }
}
