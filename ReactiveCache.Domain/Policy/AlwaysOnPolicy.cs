namespace ReactiveCache.Domain.Policy;

/// <summary>
/// Baseline: the node is started on the first request and never stopped; every key is loaded into it on
/// its first request (like the thesis's ElastiCache proxy: that first request is served by S3).
/// A failed boot or a lost node backs off (<see cref="NodeFailureRules"/>); a key whose load failed, whose object
/// changed or that was pinned is forgotten (loaded again on its next request, once unpinned); a key too large for the node
/// stays on S3 until its object changes (<see cref="SizeRefusals"/>).
/// </summary>
public sealed class AlwaysOnPolicy(TimeProvider time) : ICachePolicy
{
    private readonly Dictionary<string, ObjectState> _states = new(StringComparer.Ordinal);
    private readonly List<string> _waiting = [];
    private readonly KeyPins _pins = new();
    private readonly NodeFailureRules _failures = new(NodeFailureSettings.Default);

    public string Name => "always-on";

    public TimeProvider Time { get; } = time;

    public NodeState Node { get; private set; } = NodeState.Stopped;

    public DateTimeOffset? NextDueAt => _failures.NextDueAt;

    public IReadOnlyCollection<string> Keys => _states.Keys;

    public void Handle(in PolicyEvent e, List<PolicyCommand> commands)
    {
        if (e.Key.Length > 0 && _pins.IsPinned(e.Key) && e.Kind is not (PolicyEventKind.KeyPinned or PolicyEventKind.KeyUnpinned))
        {
            return;
        }

        switch (e.Kind)
        {
            case PolicyEventKind.RequestReceived when !_states.ContainsKey(e.Key):
                if (Node == NodeState.Running)
                {
                    _states[e.Key] = ObjectState.RedisBootup;
                    commands.Add(PolicyCommand.LoadObject(e.Key));
                }
                else if (Node != NodeState.Stopped || _failures.MayStartNode(Time.GetUtcNow()))
                {
                    _states[e.Key] = ObjectState.RedisBootup;
                    _waiting.Add(e.Key);
                    if (Node == NodeState.Stopped)
                    {
                        Node = NodeState.Booting;
                        commands.Add(PolicyCommand.StartNode());
                    }
                }

                break;
            case PolicyEventKind.NodeReady:
                Node = NodeState.Running;
                _failures.NodeReady();
                foreach (var key in _waiting)
                {
                    commands.Add(PolicyCommand.LoadObject(key));
                }

                _waiting.Clear();
                break;
            case PolicyEventKind.ObjectLoaded when _states.ContainsKey(e.Key):
                _states[e.Key] = ObjectState.RedisRunning;
                commands.Add(PolicyCommand.SetRoute(e.Key, CacheLayer.Redis));
                break;
            case PolicyEventKind.NodeStopped:
            case PolicyEventKind.NodeLost:
                // Stopped from outside (or lost): everything is reloaded on its next request.
                if (e.Kind == PolicyEventKind.NodeLost && Node != NodeState.Stopped)
                {
                    _failures.NodeLost(Time.GetUtcNow());
                }

                Node = NodeState.Stopped;
                _failures.NodeStopped();
                Forget(commands);
                break;
            case PolicyEventKind.NodeCommandFailed when e.Command == PolicyCommandKind.StartNode && Node == NodeState.Booting:
                Node = NodeState.Stopped;
                _failures.BootFailed(Time.GetUtcNow());
                Forget(commands);
                break;
            case PolicyEventKind.NodeCommandFailed when e.Command == PolicyCommandKind.LoadObject && StateOf(e.Key) == ObjectState.RedisBootup:
                _states.Remove(e.Key);
                break;
            case PolicyEventKind.ObjectTooLarge when e.Layer == CacheLayer.Redis:
                // Kept on S3 (known, so not loaded again) until its object changes (SizeRefusals' rule: the node never takes it).
                if (StateOf(e.Key) == ObjectState.RedisRunning)
                {
                    commands.Add(PolicyCommand.RemoveRoute(e.Key));
                    commands.Add(PolicyCommand.EvictObject(e.Key));
                }

                _states[e.Key] = ObjectState.S3;
                _waiting.Remove(e.Key);
                break;
            case PolicyEventKind.ObjectChanged:
            case PolicyEventKind.KeyPinned:
                if (_states.Remove(e.Key, out var state) && state == ObjectState.RedisRunning)
                {
                    commands.Add(PolicyCommand.RemoveRoute(e.Key));
                    commands.Add(PolicyCommand.EvictObject(e.Key));
                }

                _waiting.Remove(e.Key);
                if (e.Kind == PolicyEventKind.KeyPinned)
                {
                    _pins.Pin(e.Key, e.Layer);
                }

                break;
            case PolicyEventKind.KeyUnpinned:
                _pins.Unpin(e.Key);
                break;
            case PolicyEventKind.KeyRestored when e.Layer == CacheLayer.Redis:
                Node = NodeState.Running;
                _states[e.Key] = ObjectState.RedisRunning;
                break;
        }
    }

    public void OnDue(List<PolicyCommand> commands)
    {
    }

    public ObjectState StateOf(string key) => _states.GetValueOrDefault(key, ObjectState.S3);

    private void Forget(List<PolicyCommand> commands)
    {
        foreach (var (key, state) in _states)
        {
            if (state == ObjectState.RedisRunning)
            {
                commands.Add(PolicyCommand.RemoveRoute(key));
            }
        }

        _states.Clear();
        _waiting.Clear();
    }
}
