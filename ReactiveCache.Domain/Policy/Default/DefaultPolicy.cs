namespace ReactiveCache.Domain.Policy.Default;

/// <summary>
/// Our policy: break-even decisions from the price table and the key's measured rate, with one latency weight
/// (<see cref="DefaultPolicySettings.ValuePerHitUsd"/>, from the sensitivity) instead of the thesis's
/// configured rate and fixed thresholds.
/// <list type="bullet">
/// <item>Start: memory on the node costs ~4.5× less per second than a function holding the object, so a hot key
/// goes straight to the node. It is hot when the hits its last gap promises for the node's first (billed) minute
/// are worth that minute: 60 s / gap × value ≥ 60 s × node price.</item>
/// <item>Bridge: a function serves the key while the node boots only when the hits expected during the boot
/// (boot / short-run gap) are worth more than the function's boot-long life.</item>
/// <item>Stop (ski rental): a key stays idle on the node as long as the idle time costs less than what a stop
/// would lose (the re-trigger plus the hits of a stop and a boot at its measured rate), checked at that exact moment rather
/// than by a one-minute ticker. The node stops when its last key leaves.</item>
/// <item>Many keys share the one node; a key that turns hot while the node runs is loaded at once.</item>
/// </list>
/// </summary>
public sealed class DefaultPolicy : ICachePolicy
{
    private readonly TimeProvider _time;
    private readonly Dictionary<string, DefaultObject> _objects = new(StringComparer.Ordinal);
    private readonly DueQueue<DefaultObject> _leaves = new();
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

    public DateTimeOffset? NextDueAt => _leaves.NextDue(static (o, due) => o.State == ObjectState.RedisRunning && o.QueuedAt == due);

    /// <summary>The full state of one key, or null when it was never seen.</summary>
    public DefaultObject? Find(string key) => _objects.GetValueOrDefault(key);

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
        // Every entry still queued for its object is taken (and cleared), whatever the object's state now.
        while (_leaves.TryTakeDue(now, static (o, due) => o.QueuedAt == due, out var o, out _))
        {
            o.QueuedAt = null;
            if (o.State != ObjectState.RedisRunning || o.LeaveAt is not { } leaveAt)
            {
                continue;
            }

            if (leaveAt > now)
            {
                // requests pushed the leave time back since this entry was queued
                Enqueue(o, leaveAt);
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

    /// <summary>
    /// How long a key may stay idle on the node: idle seconds × node price ≤ hits a stop would lose × value,
    /// where a stop loses the re-trigger request plus the requests of one boot (and part of a stop) at the
    /// key's rate (the slower of its long-run and short-run gaps).
    /// </summary>
    public TimeSpan IdleAllowance(DefaultObject o)
    {
        // the slower of the long-run and the short-run rate: a key that slows down leaves sooner
        double longRun = (o.LongRunGap ?? Settings.ExpectedBoot).TotalSeconds;
        double shortRun = (o.ShortRunGap ?? Settings.ExpectedBoot).TotalSeconds;
        double gap = Math.Max(1.0, Math.Max(longRun, shortRun));
        double lostHits = 1.0 + ((Settings.ExpectedBoot.TotalSeconds + (Settings.StopWaitShare * Settings.ExpectedStop.TotalSeconds)) / gap);
        double seconds = lostHits * Settings.ValuePerHitUsd / Settings.NodePerSecond;
        return TimeSpan.FromSeconds(Math.Min(seconds, Settings.MaxIdle.TotalSeconds));
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
        o.Record(time, DefaultPolicySettings.GapSmoothing);
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

    // hits expected during the boot × value > a function living through the boot
    private bool WorthBridging(DefaultObject o)
    {
        if (o.ShortRunGap is not { } gap)
        {
            return false;
        }

        // while the node is stopping the wait is longer: the rest of the stop, then the boot
        double boot = (Node == NodeState.Stopping ? Settings.ExpectedBoot + Settings.ExpectedStop : Settings.ExpectedBoot).TotalSeconds;
        double hits = boot / Math.Max(0.001, gap.TotalSeconds);
        double functionCost = (boot * 1000.0 * (double)Settings.Prices.LambdaPerMs) + (double)Settings.Prices.LambdaPerRequest;
        return hits * Settings.ValuePerHitUsd > functionCost;
    }

    // the node's first, billed minute is worth it: (60 s / last gap) hits × value ≥ 60 s × node price
    private bool IsHot(DefaultObject o)
    {
        if (o.Timestamps.Count < 2)
        {
            return false;
        }

        double gap = Math.Max(0.001, (o.Timestamps.Newest - o.Timestamps[o.Timestamps.Count - 2]).TotalSeconds);
        double minimum = Settings.Prices.NodeMinimumSeconds;
        return minimum / gap * Settings.ValuePerHitUsd >= minimum * Settings.NodePerSecond;
    }

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
        var now = _time.GetUtcNow();
        var last = o.Timestamps.Count > 0 ? o.Timestamps.Newest : now;
        var leave = (last > now ? last : now) + IdleAllowance(o);
        o.LeaveAt = leave;

        // one queue entry per key, at or before its leave time: a later leave time is picked up when it pops
        if (o.QueuedAt is not { } queued || leave < queued)
        {
            Enqueue(o, leave);
        }
    }

    private void Enqueue(DefaultObject o, DateTimeOffset due)
    {
        o.QueuedAt = due;
        _leaves.Schedule(o, due);
    }
}
