namespace ReactiveCache.Domain.Policy;

/// <summary>
/// Baseline: the node is started on the first request and never stopped; every key is loaded into it on
/// its first request (like the thesis's ElastiCache proxy: that first request is served by S3).
/// </summary>
public sealed class AlwaysOnPolicy(TimeProvider time) : ICachePolicy
{
    private readonly Dictionary<string, ObjectState> _states = new(StringComparer.Ordinal);
    private readonly List<string> _waiting = [];

    public string Name => "always-on";

    public TimeProvider Time { get; } = time;

    public NodeState Node { get; private set; } = NodeState.Stopped;

    public DateTimeOffset? NextDueAt => null;

    public IReadOnlyCollection<string> Keys => _states.Keys;

    public void Handle(in PolicyEvent e, List<PolicyCommand> commands)
    {
        switch (e.Kind)
        {
            case PolicyEventKind.RequestReceived when !_states.ContainsKey(e.Key):
                _states[e.Key] = ObjectState.RedisBootup;
                if (Node == NodeState.Running)
                {
                    commands.Add(PolicyCommand.LoadObject(e.Key));
                }
                else
                {
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
                foreach (var key in _waiting)
                {
                    commands.Add(PolicyCommand.LoadObject(key));
                }

                _waiting.Clear();
                break;
            case PolicyEventKind.ObjectLoaded:
                _states[e.Key] = ObjectState.RedisRunning;
                commands.Add(PolicyCommand.SetRoute(e.Key, CacheLayer.Redis));
                break;
            case PolicyEventKind.NodeStopped:
                // Stopped from outside: everything is reloaded on its next request.
                Node = NodeState.Stopped;
                _states.Clear();
                break;
        }
    }

    public void OnDue(List<PolicyCommand> commands)
    {
    }

    public ObjectState StateOf(string key) => _states.GetValueOrDefault(key, ObjectState.S3);
}
