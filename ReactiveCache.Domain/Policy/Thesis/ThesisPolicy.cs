using ReactiveCache.Domain.Policy.Configuration;

namespace ReactiveCache.Domain.Policy.Thesis;

/// <summary>
/// The thesis's per-object state machine (orchestrator/objectManager/processing.go and state.go),
/// following its code where its text differs: every event in the Lambda state is counted (not only
/// Lambda-served ones), the lambda window is now − the previous request, and the node check is
/// now − the oldest of the last 5 timestamps, once a minute per object from the moment it runs on the node.
/// <para>
/// Beyond the thesis (which had one object): many keys share the one node. The node starts when the
/// first key needs it and stops when the last key leaves it; a key that leaves while others stay is
/// evicted and treated as if the node had stopped under it (RedisShutdown → S3, RestrictedLambda → Lambda).
/// A key that wants the node while it is stopping waits in RedisBootup and the node is started again
/// once it has stopped (the thesis would have stayed stuck there).
/// </para>
/// </summary>
public sealed class ThesisPolicy : ICachePolicy
{
    private readonly TimeProvider _time;
    private readonly Dictionary<string, ThesisObject> _objects = new(StringComparer.Ordinal);
    private readonly DueQueue<ThesisObject> _checks = new();
    private readonly List<ThesisObject> _waitingForNode = [];
    private readonly List<ThesisObject> _waitingForStop = [];
    private int _onNode;

    public ThesisPolicy(PolicyParameters parameters, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(time);
        if (parameters.LambdaWindowElements is < 1 or > PolicyParameters.TimestampQueueSize)
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), "LambdaWindowElements must be 1..5.");
        }

        Parameters = parameters;
        _time = time;
    }

    public string Name => "thesis";

    public PolicyParameters Parameters { get; }

    public NodeState Node { get; private set; } = NodeState.Stopped;

    public IReadOnlyCollection<string> Keys => _objects.Keys;

    public DateTimeOffset? NextDueAt => _checks.NextDue(CheckStands);

    /// <summary>A node check stands while the object is on the node and still expects it at that time.</summary>
    private static bool CheckStands(ThesisObject o, DateTimeOffset due) => o.State == ObjectState.RedisRunning && o.NextCheckAt == due;

    public ObjectState StateOf(string key) => _objects.TryGetValue(key, out var o) ? o.State : ObjectState.S3;

    /// <summary>The full state of one key, or null when it was never seen.</summary>
    public ThesisObject? Find(string key) => _objects.GetValueOrDefault(key);

    public void Handle(in PolicyEvent e, List<PolicyCommand> commands)
    {
        switch (e.Kind)
        {
            case PolicyEventKind.RequestReceived:
                OnRequest(GetOrCreate(e.Key), e.Time, commands);
                break;
            case PolicyEventKind.FunctionReady:
                OnFunctionReady(GetOrCreate(e.Key), commands);
                break;
            case PolicyEventKind.FunctionEnded:
                OnFunctionEnded(GetOrCreate(e.Key), commands);
                break;
            case PolicyEventKind.NodeReady:
                OnNodeReady(commands);
                break;
            case PolicyEventKind.ObjectLoaded:
                OnObjectLoaded(GetOrCreate(e.Key), commands);
                break;
            case PolicyEventKind.NodeStopped:
                OnNodeStopped(commands);
                break;
            case PolicyEventKind.NodeCommandFailed:
                // The thesis has no reaction to a failed node command.
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e.Kind, "Unknown policy event.");
        }
    }

    public void OnDue(List<PolicyCommand> commands)
    {
        var now = _time.GetUtcNow();
        while (_checks.TryTakeDue(now, CheckStands, out var o, out var due))
        {
            // state.go checkRedisUtilization: now − oldest of the last 5 > redisUtilization → stop.
            if (now - o.Timestamps.Oldest > Parameters.RedisUtilization)
            {
                LeaveNode(o, commands);
            }
            else
            {
                o.NextCheckAt = due + Parameters.RedisCheckInterval;
                _checks.Schedule(o, o.NextCheckAt.Value);
            }
        }
    }

    private ThesisObject GetOrCreate(string key)
    {
        if (!_objects.TryGetValue(key, out var o))
        {
            o = new ThesisObject(key);
            _objects.Add(key, o);
        }

        return o;
    }

    // processing.go ProcessGet
    private void OnRequest(ThesisObject o, DateTimeOffset time, List<PolicyCommand> commands)
    {
        o.Timestamps.Add(time);
        switch (o.State)
        {
            case ObjectState.S3:
                CheckLambdaThreshold(o, restricted: false, commands);
                break;
            case ObjectState.Lambda:
                o.LambdaCount++;
                if (o.LambdaCount > Parameters.RedisThreshold)
                {
                    commands.Add(PolicyCommand.KeepRunning(o.Key));
                    StartRedis(o, commands);
                }

                break;
            case ObjectState.RedisShutdown:
                CheckLambdaThreshold(o, restricted: true, commands);
                break;
            case ObjectState.RestrictedLambda:
                o.LambdaCount++;
                break;
            case ObjectState.RedisBootup:
            case ObjectState.RedisRunning:
                break;
        }
    }

    // state.go checkLambdaThreshold / checkLambdaThresholdRestricted: now − the previous request.
    private void CheckLambdaThreshold(ThesisObject o, bool restricted, List<PolicyCommand> commands)
    {
        int window = Parameters.LambdaWindowElements;
        if (o.Timestamps.Count < window)
        {
            return;
        }

        var now = _time.GetUtcNow();
        if (now - o.Timestamps[o.Timestamps.Count - window] < Parameters.LambdaThreshold)
        {
            o.State = restricted ? ObjectState.RestrictedLambda : ObjectState.Lambda;
            o.LastFunctionRestricted = restricted;
            o.FunctionsRunning++;
            commands.Add(PolicyCommand.InvokeFunction(o.Key, Parameters.Tick));
        }
    }

    private void StartRedis(ThesisObject o, List<PolicyCommand> commands)
    {
        o.State = ObjectState.RedisBootup;
        switch (Node)
        {
            case NodeState.Stopped:
                Node = NodeState.Booting;
                _waitingForNode.Add(o);
                commands.Add(PolicyCommand.StartNode());
                break;
            case NodeState.Booting:
            case NodeState.Stopping:
                _waitingForNode.Add(o);
                break;
            case NodeState.Running:
                commands.Add(PolicyCommand.LoadObject(o.Key));
                break;
        }
    }

    private void OnFunctionReady(ThesisObject o, List<PolicyCommand> commands)
    {
        if (o.Route != CacheLayer.Redis)
        {
            o.Route = CacheLayer.Lambda;
            commands.Add(PolicyCommand.SetRoute(o.Key, CacheLayer.Lambda));
        }
    }

    // state.go LambdaReturnedLocked / LambdaRestrictedReturnedLocked
    private void OnFunctionEnded(ThesisObject o, List<PolicyCommand> commands)
    {
        if (o.FunctionsRunning > 0)
        {
            o.FunctionsRunning--;
        }

        if (o.Route == CacheLayer.Lambda)
        {
            o.Route = CacheLayer.S3;
            commands.Add(PolicyCommand.RemoveRoute(o.Key));
        }

        o.LambdaCount = 0;
        if (o.State == ObjectState.Lambda)
        {
            o.State = ObjectState.S3;
        }
        else if (o.State == ObjectState.RestrictedLambda && o.LastFunctionRestricted)
        {
            o.State = ObjectState.RedisShutdown;
        }
    }

    private void OnNodeReady(List<PolicyCommand> commands)
    {
        Node = NodeState.Running;
        foreach (var o in _waitingForNode)
        {
            if (o.State == ObjectState.RedisBootup)
            {
                commands.Add(PolicyCommand.LoadObject(o.Key));
            }
        }

        _waitingForNode.Clear();
    }

    // state.go PrepareRedis + RedisRunningLocked + RedisTicker
    private void OnObjectLoaded(ThesisObject o, List<PolicyCommand> commands)
    {
        if (o.State != ObjectState.RedisBootup || Node != NodeState.Running)
        {
            return;
        }

        o.Route = CacheLayer.Redis;
        commands.Add(PolicyCommand.SetRoute(o.Key, CacheLayer.Redis));
        if (o.FunctionsRunning > 0)
        {
            commands.Add(PolicyCommand.ShutdownFunction(o.Key));
        }

        o.State = ObjectState.RedisRunning;
        _onNode++;
        o.NextCheckAt = _time.GetUtcNow() + Parameters.RedisCheckInterval;
        _checks.Schedule(o, o.NextCheckAt.Value);
    }

    // state.go checkRedisUtilization → redisControl.StopRedis: remove the route, drain, stop.
    private void LeaveNode(ThesisObject o, List<PolicyCommand> commands)
    {
        o.NextCheckAt = null;
        o.Route = CacheLayer.S3;
        commands.Add(PolicyCommand.RemoveRoute(o.Key));
        o.State = ObjectState.RedisShutdown;
        _onNode--;
        if (_onNode == 0 && _waitingForNode.Count == 0)
        {
            commands.Add(PolicyCommand.DrainGateways());
            commands.Add(PolicyCommand.StopNode());
            Node = NodeState.Stopping;
            _waitingForStop.Add(o);
        }
        else
        {
            // Other keys keep the node up: take this one off it; for this key it is as if the node stopped.
            commands.Add(PolicyCommand.EvictObject(o.Key));
            o.State = ObjectState.S3;
        }
    }

    // state.go RedisStopped
    private void OnNodeStopped(List<PolicyCommand> commands)
    {
        Node = NodeState.Stopped;
        foreach (var o in _waitingForStop)
        {
            if (o.State == ObjectState.RedisShutdown)
            {
                o.State = ObjectState.S3;
            }
            else if (o.State == ObjectState.RestrictedLambda)
            {
                o.State = ObjectState.Lambda;
            }
        }

        _waitingForStop.Clear();
        if (_waitingForNode.Count > 0)
        {
            Node = NodeState.Booting;
            commands.Add(PolicyCommand.StartNode());
        }
    }
}
