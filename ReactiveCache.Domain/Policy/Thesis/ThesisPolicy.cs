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
/// <para>
/// Beyond the thesis, failures (which it did not handle): a failed boot, load or lost node sends the keys waiting
/// for the node back to S3 (their held functions are shut down) and the next boot backs off
/// (<see cref="NodeFailureRules"/>); a failed stop is retried; a node left with nothing on it stops. A pinned key is
/// left alone (<see cref="KeyPins"/>); a changed object leaves every layer; a restarted orchestrator restores keys; a key
/// the orchestrator refused for its size stays off that layer (<see cref="SizeRefusals"/>). A key too large for a function
/// never reaches the node here either (the thesis goes to the node through the Lambda state): it stays on S3.
/// </para>
/// <para>
/// Bounded (<see cref="BoundedKeyMap{T}"/>): a key at rest (S3, no route, no function, no node check) is forgotten
/// once idle for twice the lambda threshold, which changes no decision (an older request can no longer start a
/// function), and the least recently used keys at rest go while more than the capacity are held.
/// </para>
/// </summary>
public sealed class ThesisPolicy : ICachePolicy
{
    private readonly TimeProvider _time;
    private readonly BoundedKeyMap<ThesisObject> _objects;
    private readonly DueQueue<ThesisObject> _checks = new();
    private readonly List<ThesisObject> _waitingForNode = [];
    private readonly List<ThesisObject> _waitingForStop = [];
    private readonly KeyPins _pins = new();
    private readonly NodeFailureRules _failures;
    private int _onNode;

    /// <param name="failures">Boot backoff and stop retries (null: <see cref="NodeFailureSettings.Default"/>).</param>
    /// <param name="maxTrackedKeys">Keys at rest kept at most (<c>Policy:MaxTrackedKeys</c>).</param>
    public ThesisPolicy(PolicyParameters parameters, TimeProvider time, NodeFailureSettings? failures = null, int maxTrackedKeys = BoundedKeyMapSettings.DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(time);
        if (parameters.LambdaWindowElements is < 1 or > PolicyParameters.TimestampQueueSize)
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), "LambdaWindowElements must be 1..5.");
        }

        Parameters = parameters;
        _time = time;
        _failures = new NodeFailureRules(failures ?? NodeFailureSettings.Default);
        _objects = new BoundedKeyMap<ThesisObject>(new BoundedKeyMapSettings(maxTrackedKeys, 2 * parameters.LambdaThreshold), IsAtRest, time);
    }

    /// <summary>Nothing runs, routes or is scheduled for the key: forgetting it loses nothing but its last requests.</summary>
    private static bool IsAtRest(ThesisObject o) =>
        o.State == ObjectState.S3 && o.Route == CacheLayer.S3 && o.FunctionsRunning == 0 && o.NextCheckAt is null;

    /// <summary>Keys forgotten so far (idle or over the capacity).</summary>
    public long ForgottenKeys => _objects.Forgotten;

    public string Name => "thesis";

    public PolicyParameters Parameters { get; }

    public NodeState Node { get; private set; } = NodeState.Stopped;

    public IReadOnlyCollection<string> Keys => _objects.Keys;

    public DateTimeOffset? NextDueAt => Earliest(_checks.NextDue(CheckStands), _failures.NextDueAt);

    /// <summary>The keys pinned by the control API (left alone by this policy).</summary>
    public KeyPins Pins => _pins;

    /// <summary>Boot backoff and stop retries.</summary>
    public NodeFailureRules Failures => _failures;

    /// <summary>A node check stands while the object is on the node and still expects it at that time.</summary>
    private static bool CheckStands(ThesisObject o, DateTimeOffset due) => o.State == ObjectState.RedisRunning && o.NextCheckAt == due;

    public ObjectState StateOf(string key) => _objects.TryGetValue(key, out var o) ? o.State : ObjectState.S3;

    /// <summary>The full state of one key, or null when it was never seen (or forgotten at rest).</summary>
    public ThesisObject? Find(string key) => _objects.TryGetValue(key, out var o) ? o : null;

    public void Handle(in PolicyEvent e, List<PolicyCommand> commands)
    {
        // A pinned key is the control API's: its requests, function and load events are not this policy's business.
        if (e.Key.Length > 0 && _pins.IsPinned(e.Key) && e.Kind is not (PolicyEventKind.KeyPinned or PolicyEventKind.KeyUnpinned))
        {
            return;
        }

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
                OnNodeCommandFailed(e.Command, e.Key, commands);
                break;
            case PolicyEventKind.NodeLost:
                OnNodeLost(commands);
                break;
            case PolicyEventKind.KeyPinned:
                OnPinned(e.Key, e.Layer, commands);
                break;
            case PolicyEventKind.KeyUnpinned:
                OnUnpinned(e.Key, commands);
                break;
            case PolicyEventKind.ObjectChanged:
                if (_objects.TryGetValue(e.Key, out var changed))
                {
                    Withdraw(changed, commands);
                    // A new version: it may fit where the old one did not.
                    changed.TooLarge = default;
                }

                break;
            case PolicyEventKind.ObjectTooLarge:
                OnTooLarge(GetOrCreate(e.Key), e.Layer, commands);
                break;
            case PolicyEventKind.KeyRestored:
                OnRestored(GetOrCreate(e.Key), e.Layer);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e.Kind, "Unknown policy event.");
        }
    }

    public void OnDue(List<PolicyCommand> commands)
    {
        var now = _time.GetUtcNow();
        if (_failures.TakeStopRetry(now) && Node == NodeState.Stopping)
        {
            NodeFailureRules.AddStop(commands);
        }

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

    private ThesisObject GetOrCreate(string key) => _objects.GetOrAdd(key, static k => new ThesisObject(k));

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
                // After failed boots the node is not started again before its backoff ends: the function serves on.
                if (o.LambdaCount > Parameters.RedisThreshold && o.TooLarge.Allows(CacheLayer.Redis) && (Node != NodeState.Stopped || _failures.MayStartNode(_time.GetUtcNow())))
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
        if (o.Timestamps.Count < window || !o.TooLarge.Allows(CacheLayer.Lambda))
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
        // Only a function this policy asked for is routed to (not one it already let go of, or a pin's that ended).
        if (o.Route != CacheLayer.Redis && o.State is ObjectState.Lambda or ObjectState.RestrictedLambda or ObjectState.RedisBootup)
        {
            o.Route = CacheLayer.Lambda;
            commands.Add(PolicyCommand.SetRoute(o.Key, CacheLayer.Lambda));
        }
    }

    // state.go LambdaReturnedLocked / LambdaRestrictedReturnedLocked
    private void OnFunctionEnded(ThesisObject o, List<PolicyCommand> commands)
    {
        if (o.FunctionsRunning == 0)
        {
            // Not a function of this policy (a pin's, or one invoked before a restart): nothing to undo.
            return;
        }

        o.FunctionsRunning--;

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
        var booting = Node == NodeState.Booting;
        Node = NodeState.Running;
        _failures.NodeReady();
        var loads = 0;
        foreach (var o in _waitingForNode)
        {
            if (o.State == ObjectState.RedisBootup)
            {
                commands.Add(PolicyCommand.LoadObject(o.Key));
                loads++;
            }
        }

        _waitingForNode.Clear();
        if (booting && loads == 0)
        {
            // Every key that wanted this boot let go of it meanwhile (a pin, a changed object): nothing to keep it for.
            StopIfIdle(commands);
        }
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
        if (_onNode == 0 && _waitingForNode.Count == 0 && !_pins.HoldNode)
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
        _failures.NodeStopped();
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
        if (_waitingForNode.Count > 0 || _pins.HoldNode)
        {
            Node = NodeState.Booting;
            commands.Add(PolicyCommand.StartNode());
        }
    }

    private void OnNodeCommandFailed(PolicyCommandKind command, string key, List<PolicyCommand> commands)
    {
        var now = _time.GetUtcNow();
        switch (command)
        {
            case PolicyCommandKind.StartNode when Node == NodeState.Booting:
                // The node did not come up: whoever waited for it goes back to S3, and the next boot backs off.
                Node = NodeState.Stopped;
                _failures.BootFailed(now);
                foreach (var o in _waitingForNode)
                {
                    LeaveBootup(o, commands);
                }

                _waitingForNode.Clear();
                break;
            case PolicyCommandKind.LoadObject when _objects.TryGetValue(key, out var o) && o.State == ObjectState.RedisBootup:
                // Not stuck in RedisBootup with a function held to its timeout: back to S3, and the node stops if it has nothing else.
                _waitingForNode.Remove(o);
                LeaveBootup(o, commands);
                StopIfIdle(commands);
                break;
            case PolicyCommandKind.StopNode when Node == NodeState.Stopping:
                _failures.StopFailed(now);
                break;
        }
    }

    // Every key that was on the node or waiting for it is back on S3 (the gateways fall back on their own already).
    private void OnNodeLost(List<PolicyCommand> commands)
    {
        if (Node == NodeState.Stopped)
        {
            return;
        }

        Node = NodeState.Stopped;
        _failures.NodeLost(_time.GetUtcNow());
        foreach (var o in _objects.Values)
        {
            switch (o.State)
            {
                case ObjectState.RedisRunning:
                    o.NextCheckAt = null;
                    o.State = ObjectState.S3;
                    SetRouteToS3(o, commands);
                    break;
                case ObjectState.RedisBootup:
                    LeaveBootup(o, commands);
                    break;
                case ObjectState.RedisShutdown:
                    o.State = ObjectState.S3;
                    break;
                case ObjectState.RestrictedLambda:
                    o.State = ObjectState.Lambda;
                    break;
            }
        }

        _onNode = 0;
        _waitingForNode.Clear();
        _waitingForStop.Clear();
        if (_pins.HoldNode && _failures.MayStartNode(_time.GetUtcNow()))
        {
            Node = NodeState.Booting;
            commands.Add(PolicyCommand.StartNode());
        }
    }

    private void OnPinned(string key, CacheLayer layer, List<PolicyCommand> commands)
    {
        // Pinned first: a key pinned to the node keeps the node up while it leaves the policy's hands.
        _pins.Pin(key, layer);
        if (_objects.TryGetValue(key, out var o))
        {
            Withdraw(o, commands);
        }

        if (layer == CacheLayer.Redis && Node == NodeState.Stopped)
        {
            // The pin loads the key onto the node: the policy boots it, so that it knows the node is up and keeps it.
            Node = NodeState.Booting;
            commands.Add(PolicyCommand.StartNode());
        }
    }

    private void OnUnpinned(string key, List<PolicyCommand> commands)
    {
        if (_pins.Unpin(key) == CacheLayer.Redis)
        {
            StopIfIdle(commands);
        }
    }

    // A restarted orchestrator found the key on this layer: take it up as if the policy had put it there.
    private void OnRestored(ThesisObject o, CacheLayer layer)
    {
        var now = _time.GetUtcNow();
        switch (layer)
        {
            case CacheLayer.Lambda when o.State == ObjectState.S3:
                o.State = ObjectState.Lambda;
                o.Route = CacheLayer.Lambda;
                o.FunctionsRunning++;
                break;
            case CacheLayer.Redis when o.State is not ObjectState.RedisRunning:
                Node = NodeState.Running;
                o.State = ObjectState.RedisRunning;
                o.Route = CacheLayer.Redis;
                _onNode++;
                // The restart is the last sign of demand it has: the node check counts from it.
                o.Timestamps.Add(now);
                o.NextCheckAt = now + Parameters.RedisCheckInterval;
                _checks.Schedule(o, o.NextCheckAt.Value);
                break;
        }
    }

    // The orchestrator refused to put the key on this layer (SizeRefusals): it does not go there again, and leaves it if it
    // is on it or waiting for it. A refused function ends on its own (FunctionEnded follows); one that runs but whose route
    // was refused is shut down. Leaving the node's queue may leave the node with nothing: it stops (StopIfIdle).
    private void OnTooLarge(ThesisObject o, CacheLayer layer, List<PolicyCommand> commands)
    {
        o.TooLarge = o.TooLarge.With(layer);
        switch (layer)
        {
            case CacheLayer.Lambda when o.Route == CacheLayer.Lambda:
                commands.Add(PolicyCommand.ShutdownFunction(o.Key));
                SetRouteToS3(o, commands);
                break;
            case CacheLayer.Redis when o.State is ObjectState.RedisBootup or ObjectState.RedisRunning:
                Withdraw(o, commands);
                break;
        }
    }

    /// <summary>The key leaves every layer for S3 at once (its object changed, or it is pinned): evicted, function shut down, route removed.</summary>
    private void Withdraw(ThesisObject o, List<PolicyCommand> commands)
    {
        switch (o.State)
        {
            case ObjectState.RedisRunning:
                o.NextCheckAt = null;
                o.State = ObjectState.S3;
                SetRouteToS3(o, commands);
                commands.Add(PolicyCommand.EvictObject(o.Key));
                _onNode--;
                StopIfIdle(commands);
                break;
            case ObjectState.RedisBootup:
                _waitingForNode.Remove(o);
                LeaveBootup(o, commands);
                if (Node == NodeState.Running)
                {
                    // Its load may be under way: take off whatever it copies.
                    commands.Add(PolicyCommand.EvictObject(o.Key));
                    StopIfIdle(commands);
                }

                break;
            case ObjectState.Lambda:
            case ObjectState.RestrictedLambda:
                if (o.FunctionsRunning > 0)
                {
                    commands.Add(PolicyCommand.ShutdownFunction(o.Key));
                }

                SetRouteToS3(o, commands);
                o.State = ObjectState.S3;
                break;
            case ObjectState.RedisShutdown:
                o.State = ObjectState.S3;
                break;
        }

        o.LambdaCount = 0;
    }

    /// <summary>A key waiting for the node gives up: its held function is shut down and it is back on S3.</summary>
    private static void LeaveBootup(ThesisObject o, List<PolicyCommand> commands)
    {
        if (o.State != ObjectState.RedisBootup)
        {
            return;
        }

        if (o.FunctionsRunning > 0)
        {
            commands.Add(PolicyCommand.ShutdownFunction(o.Key));
        }

        SetRouteToS3(o, commands);
        o.LambdaCount = 0;
        o.State = ObjectState.S3;
    }

    private static void SetRouteToS3(ThesisObject o, List<PolicyCommand> commands)
    {
        if (o.Route != CacheLayer.S3)
        {
            o.Route = CacheLayer.S3;
            commands.Add(PolicyCommand.RemoveRoute(o.Key));
        }
    }

    /// <summary>A running node that holds no key, and that no key waits for, is stopped.</summary>
    private void StopIfIdle(List<PolicyCommand> commands)
    {
        if (Node == NodeState.Running && _onNode == 0 && _waitingForNode.Count == 0 && !_pins.HoldNode)
        {
            NodeFailureRules.AddStop(commands);
            Node = NodeState.Stopping;
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
