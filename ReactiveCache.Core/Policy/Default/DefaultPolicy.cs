namespace ReactiveCache.Core.Policy.Default;

/// <summary>
/// Our policy. Differences from the thesis, each from its cost figures (THESIS.md §3):
/// <list type="bullet">
/// <item>Memory on the node costs ~4.5× less per second than a function holding the object, so a hot key goes
/// straight to the node; a function bridges the node's boot only when the key's measured rate promises enough
/// requests during the boot (how many: by sensitivity).</item>
/// <item>The request rate is measured per key (mean of its last gaps) instead of configured.</item>
/// <item>A key leaves the node when it has been idle for a few of its own mean gaps (at least the node's
/// 60 s billing minimum), checked at that exact moment rather than by a one-minute ticker; the node stops
/// when its last key leaves.</item>
/// <item>Many keys share the one node; a key that turns hot while the node runs is loaded at once.</item>
/// </list>
/// </summary>
public sealed class DefaultPolicy : ICachePolicy
{
    private readonly TimeProvider _time;
    private readonly Dictionary<string, DefaultObject> _objects = new(StringComparer.Ordinal);
    private readonly PriorityQueue<DefaultObject, DateTimeOffset> _leaves = new();
    private readonly List<DefaultObject> _waiting = [];
    private int _onNode;

    public DefaultPolicy(DefaultPolicySettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        Settings = settings;
        _time = time;
    }

    public string Name => "default";

    public DefaultPolicySettings Settings { get; }

    public NodeState Node { get; private set; } = NodeState.Stopped;

    public IReadOnlyCollection<string> Keys => _objects.Keys;

    public DateTimeOffset? NextDueAt
    {
        get
        {
            while (_leaves.TryPeek(out var o, out var due))
            {
                if (o.State == ObjectState.RedisRunning && o.LeaveAt == due)
                {
                    return due;
                }

                _leaves.Dequeue();
            }

            return null;
        }
    }

    public ObjectState StateOf(string key) => _objects.TryGetValue(key, out var o) ? o.State : ObjectState.S3;

    public void Handle(in PolicyEvent e, List<PolicyCommand> commands)
    {
        switch (e.Kind)
        {
            case PolicyEventKind.RequestReceived:
                OnRequest(GetOrCreate(e.Key), e.Time, commands);
                break;
            case PolicyEventKind.FunctionReady:
                var ready = GetOrCreate(e.Key);
                if (ready.Route != CacheLayer.Redis)
                {
                    ready.Route = CacheLayer.Lambda;
                    commands.Add(PolicyCommand.SetRoute(ready.Key, CacheLayer.Lambda));
                }

                break;
            case PolicyEventKind.FunctionEnded:
                var ended = GetOrCreate(e.Key);
                ended.FunctionsRunning = Math.Max(0, ended.FunctionsRunning - 1);
                if (ended.Route == CacheLayer.Lambda)
                {
                    ended.Route = CacheLayer.S3;
                    commands.Add(PolicyCommand.RemoveRoute(ended.Key));
                }

                break;
            case PolicyEventKind.NodeReady:
                Node = NodeState.Running;
                foreach (var o in _waiting)
                {
                    if (o.State == ObjectState.RedisBootup)
                    {
                        commands.Add(PolicyCommand.LoadObject(o.Key));
                    }
                }

                _waiting.Clear();
                break;
            case PolicyEventKind.ObjectLoaded:
                OnLoaded(GetOrCreate(e.Key), commands);
                break;
            case PolicyEventKind.NodeStopped:
                Node = NodeState.Stopped;
                if (_waiting.Count > 0)
                {
                    Node = NodeState.Booting;
                    commands.Add(PolicyCommand.StartNode());
                }

                break;
        }
    }

    public void OnDue(List<PolicyCommand> commands)
    {
        var now = _time.GetUtcNow();
        while (_leaves.TryPeek(out var o, out var due) && due <= now)
        {
            _leaves.Dequeue();
            if (o.State != ObjectState.RedisRunning || o.LeaveAt != due)
            {
                continue;
            }

            o.LeaveAt = null;
            o.State = ObjectState.S3;
            o.Route = CacheLayer.S3;
            commands.Add(PolicyCommand.RemoveRoute(o.Key));
            _onNode--;
            if (_onNode == 0 && _waiting.Count == 0)
            {
                commands.Add(PolicyCommand.DrainGateways());
                commands.Add(PolicyCommand.StopNode());
                Node = NodeState.Stopping;
            }
            else
            {
                commands.Add(PolicyCommand.EvictObject(o.Key));
            }
        }
    }

    /// <summary>How long a key may stay idle on the node: a few of its measured gaps, within the bounds.</summary>
    public TimeSpan IdleAllowance(DefaultObject o)
    {
        var gap = o.MeanGap ?? Settings.MinIdle;
        var allowance = gap * Settings.IdleGapFactor;
        return allowance < Settings.MinIdle ? Settings.MinIdle : allowance > Settings.MaxIdle ? Settings.MaxIdle : allowance;
    }

    private DefaultObject GetOrCreate(string key)
    {
        if (!_objects.TryGetValue(key, out var o))
        {
            o = new DefaultObject(key);
            _objects.Add(key, o);
        }

        return o;
    }

    private void OnRequest(DefaultObject o, DateTimeOffset time, List<PolicyCommand> commands)
    {
        o.Timestamps.Add(time);
        switch (o.State)
        {
            case ObjectState.S3 when IsHot(o):
                o.State = ObjectState.RedisBootup;
                if (Node != NodeState.Running && WorthBridging(o))
                {
                    o.FunctionsRunning++;
                    commands.Add(PolicyCommand.InvokeFunction(o.Key, Settings.BridgeTick));
                    commands.Add(PolicyCommand.KeepRunning(o.Key));
                }

                switch (Node)
                {
                    case NodeState.Running:
                        commands.Add(PolicyCommand.LoadObject(o.Key));
                        break;
                    case NodeState.Stopped:
                        Node = NodeState.Booting;
                        _waiting.Add(o);
                        commands.Add(PolicyCommand.StartNode());
                        break;
                    default:
                        _waiting.Add(o);
                        break;
                }

                break;
            case ObjectState.RedisRunning:
                Reschedule(o);
                break;
        }
    }

    private bool WorthBridging(DefaultObject o) =>
        Settings.BridgeMinExpectedRequests > 0 && o.MeanGap is { } gap
        && DefaultPolicySettings.ExpectedBoot / (gap > TimeSpan.FromMilliseconds(1) ? gap : TimeSpan.FromMilliseconds(1)) >= Settings.BridgeMinExpectedRequests;

    private bool IsHot(DefaultObject o) => o.Timestamps.Count >= 2 && o.Timestamps.Newest - o.Timestamps[o.Timestamps.Count - 2] < Settings.StartGap;

    private void OnLoaded(DefaultObject o, List<PolicyCommand> commands)
    {
        if (o.State != ObjectState.RedisBootup || Node != NodeState.Running)
        {
            return;
        }

        o.State = ObjectState.RedisRunning;
        o.Route = CacheLayer.Redis;
        _onNode++;
        commands.Add(PolicyCommand.SetRoute(o.Key, CacheLayer.Redis));
        if (o.FunctionsRunning > 0)
        {
            commands.Add(PolicyCommand.ShutdownFunction(o.Key));
        }

        Reschedule(o);
    }

    private void Reschedule(DefaultObject o)
    {
        var last = o.Timestamps.Count > 0 ? o.Timestamps.Newest : _time.GetUtcNow();
        var now = _time.GetUtcNow();
        var leave = (last > now ? last : now) + IdleAllowance(o);
        o.LeaveAt = leave;
        _leaves.Enqueue(o, leave);
    }
}
