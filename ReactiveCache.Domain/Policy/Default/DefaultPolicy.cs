namespace ReactiveCache.Domain.Policy.Default;

/// <summary>
/// Our policy, built around the objective J = $ + v × GETs answered by S3 (docs/policy.md). Every request is valued
/// at what it would cost off the node (<see cref="Costs.OffNodePrice"/>: S3 + v, or a function kept since the key's
/// previous request), and every rule weighs those values against the price table with what it has learned:
/// <list type="bullet">
/// <item>Functions (per key, ski rental): after a request the key keeps a function for the time T that minimises the
/// expected cost of its next gap under the key's learned gap histogram (pooled with every key's while it has few):
/// function time until the next request or T, plus S3 + v if the request comes later. This bridges boots and
/// quiet periods alike: a key whose gaps are short gets a function at its first request after a silence. While the
/// node boots, a key whose mean gap is under the function's break-even gap keeps its function until the node is
/// expected ready.</item>
/// <item>Start: the node starts when the requests expected in its first billed minute (from the boot's end to the
/// minimum's end) would cost at least that minute off the node, or those of a comeback-long run its node time. The
/// expectation is learned: for every request, what
/// the following window turned out to be worth, kept per size of the gap that preceded the request; before a size
/// has been seen, the current rate (one request per preceding gap) stands in, and before any gap has been seen, the
/// request itself over a comeback horizon.</item>
/// <item>Stop (one decision for the node, over all keys): idle for longer than the timeout that minimises the
/// expected cost of the idle gap under the learned histogram of gaps between any two requests — staying costs the
/// node's price, stopping costs the comeback (the request that ends the gap at its off-node price after the gap, the
/// traffic after it served off the node during the stop and the boot, and the boot's billed part); or the value of the traffic (off-node prices per second, the higher of its rate since
/// the start and over the last comeback horizon) has fallen below the node's price. Idle beyond the longest gap learned (where the histogram says nothing), it
/// stops once the requests of the last comeback horizon are worth less than the node time a stop saves even if they
/// come again at once (the stop and the boot's unbilled head). A stop no learned timeout decides (these two) is checked
/// against the last gaps longer than its idle time: it moves to the idle time at which a stop would have cost least
/// against keeping the node in them (<see cref="LongGapLedger"/>). Never
/// before the start's minimum billing ends, and never within the start window of a request the start rule would
/// start the node for (a node it would start now is not stopped now).</item>
/// <item>Any key requested while the node runs is loaded (a load costs one GET); at ready, every key requested within
/// a comeback is loaded, and every other key whose requests expected within a comeback are worth more than its load.</item>
/// </list>
/// Failures and the control API, with the rules every policy shares: a failed boot or a lost node backs the next boot
/// off (<see cref="NodeFailureRules"/>) and the keys that waited for the node or were on it go back to their function or
/// S3; a failed stop is retried; a key whose load failed leaves the node's queue and is not loaded again before the
/// node's next boot; a pinned key is left alone until unpinned and a key pinned to the node keeps it up
/// (<see cref="KeyPins"/>); a restarted orchestrator's keys are taken up in the state of their layer; a key the
/// orchestrator refused for its size stays off that layer, and a key too large for the node counts for nothing in the
/// node's start and stop rules (<see cref="SizeRefusals"/>).
/// Pure: events and the clock in, commands out.
/// </summary>
public sealed class DefaultPolicy : ICachePolicy
{
    private readonly TimeProvider _time;
    private readonly Dictionary<string, DefaultObject> _objects = new(StringComparer.Ordinal);
    private readonly DueQueue<DefaultObject> _shutdowns = new();
    private readonly GapHistogram _arrivals = new();
    private readonly GapHistogram _keyGaps = new();
    private readonly WindowValue _startWindow;
    private readonly WindowValue _runWindow;
    private readonly WindowValue _keepWindow;
    private readonly OffNodeEconomics _economics;
    private readonly LongGapLedger _longGaps;
    private readonly KeyPins _pins = new();
    private readonly NodeFailureRules _failures;
    private DateTimeOffset? _origin;
    private DateTimeOffset? _lastRequest;
    private double _lastSeconds;
    private double _startSeconds;
    private DateTimeOffset _billedFrom;
    private DateTimeOffset _expectedReady;
    private DateTimeOffset? _stopAt;
    private bool _restartWhenStopped;

    /// <param name="failures">Boot backoff and stop retries (null: <see cref="NodeFailureSettings.Default"/>).</param>
    public DefaultPolicy(DefaultPolicySettings settings, TimeProvider time, NodeFailureSettings? failures = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        Settings = settings;
        _time = time;
        _startWindow = new WindowValue(settings.StartWindowFromSeconds, settings.StartWindowToSeconds);
        _runWindow = new WindowValue(settings.StartWindowFromSeconds, settings.RunWindowToSeconds);
        _keepWindow = new WindowValue(0, settings.ComebackSeconds);
        _economics = new OffNodeEconomics(settings);
        _longGaps = new LongGapLedger(_economics, settings.ComebackSeconds);
        _failures = new NodeFailureRules(failures ?? NodeFailureSettings.Default);
    }

    public string Name => "default";

    public DefaultPolicySettings Settings { get; }

    public NodeState Node { get; private set; } = NodeState.Stopped;

    public IReadOnlyCollection<string> Keys => _objects.Keys;

    public DateTimeOffset? NextDueAt
    {
        get
        {
            var function = _shutdowns.NextDue(static (o, due) => o.FunctionUntil == due);
            var node = _stopAt is { } s && (_failures.NextDueAt is not { } r || s < r) ? _stopAt : _failures.NextDueAt;
            return function is { } f && (node is not { } n || f < n) ? f : node;
        }
    }

    /// <summary>The keys pinned by the control API (left alone by this policy).</summary>
    public KeyPins Pins => _pins;

    /// <summary>Boot backoff and stop retries.</summary>
    public NodeFailureRules Failures => _failures;

    /// <summary>The full state of one key, or null when it was never seen.</summary>
    public DefaultObject? Find(string key) => _objects.GetValueOrDefault(key);

    public ObjectState StateOf(string key) => _objects.TryGetValue(key, out var o) ? o.State : ObjectState.S3;

    /// <summary>How long after the last request the node is planned to stop, in seconds (∞: no stop planned).</summary>
    public double IdleTimeoutSeconds => _stopAt is { } stop && _lastRequest is { } last ? (stop - last).TotalSeconds : double.PositiveInfinity;

    /// <summary>How long the key keeps a function after a request, in seconds (0: none).</summary>
    public double KeepAliveSeconds(DefaultObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return _economics.KeepAlive(o.Gaps, _keyGaps);
    }

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
                var ready = GetOrCreate(e.Key);
                if (ready.Route != CacheLayer.Redis && ready.FunctionsRunning > 0)
                {
                    ready.Route = CacheLayer.Lambda;
                    commands.Add(PolicyCommand.SetRoute(ready.Key, CacheLayer.Lambda));
                }

                if (Node == NodeState.Stopped && ready.TooLarge.Allows(CacheLayer.Redis) && FirstStartPaysOff && _failures.MayStartNode(_time.GetUtcNow()))
                {
                    Want(ready);
                    Start(commands);
                }

                break;
            case PolicyEventKind.FunctionEnded:
                OnFunctionEnded(GetOrCreate(e.Key), commands);
                break;
            case PolicyEventKind.NodeReady:
                OnNodeReady(commands);
                break;
            case PolicyEventKind.ObjectLoaded:
                OnLoaded(GetOrCreate(e.Key), commands);
                break;
            case PolicyEventKind.ObjectChanged when _objects.TryGetValue(e.Key, out var changed):
                Withdraw(changed, commands);
                // a new version: it may fit where the old one did not
                changed.TooLarge = default;
                break;
            case PolicyEventKind.ObjectTooLarge:
                OnTooLarge(GetOrCreate(e.Key), e.Layer, commands);
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
                if (_pins.Unpin(e.Key) == CacheLayer.Redis && Node == NodeState.Running)
                {
                    // the pin no longer holds the node: the stop rule decides again, from the last request
                    PlanStop(_lastRequest ?? _time.GetUtcNow());
                }

                break;
            case PolicyEventKind.KeyRestored:
                OnRestored(GetOrCreate(e.Key), e.Layer);
                break;
        }
    }

    public void OnDue(List<PolicyCommand> commands)
    {
        var now = _time.GetUtcNow();
        if (_failures.TakeStopRetry(now) && Node == NodeState.Stopping)
        {
            NodeFailureRules.AddStop(commands);
        }

        while (_shutdowns.TryTakeDue(now, static (o, due) => o.FunctionUntil == due, out var o, out _))
        {
            o.FunctionUntil = null;
            if (o.FunctionsRunning > 0)
            {
                commands.Add(PolicyCommand.ShutdownFunction(o.Key));
            }
        }

        if (_stopAt is { } stopAt && stopAt <= now)
        {
            _stopAt = null;
            if (Node == NodeState.Running && !_pins.HoldNode)
            {
                Stop(commands);
            }
        }
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

    private double Seconds(DateTimeOffset time)
    {
        _origin ??= time;
        return (time - _origin.Value).TotalSeconds;
    }

    private void OnRequest(DefaultObject o, DateTimeOffset time, List<PolicyCommand> commands)
    {
        double gap = o.LastRequest is { } last ? (time - last).TotalSeconds : double.PositiveInfinity;
        if (o.LastRequest is not null)
        {
            o.Gaps.Add(gap);
            _keyGaps.Add(gap);
        }

        if (!o.TooLarge.Allows(CacheLayer.Redis))
        {
            // the node can never serve this key (SizeRefusals): its requests are worth nothing to the node, so they
            // neither start it nor keep it up; only its function, if it fits one, is its business
            o.LastRequest = time;
            KeepFunction(o, time, commands);
            return;
        }

        double t = Seconds(time);
        double value = Settings.OffNodePrice.Of(gap);
        double gapBefore = _lastRequest is { } any ? (time - any).TotalSeconds : double.PositiveInfinity;
        if (_lastRequest is not null)
        {
            _arrivals.Add(gapBefore);
        }

        o.LastRequest = time;
        _lastRequest = time;
        _startWindow.Add(t, value, gapBefore);
        _runWindow.Add(t, value, gapBefore);
        _keepWindow.Add(t, value, gapBefore);
        _longGaps.Add(t, value, gapBefore);
        _lastSeconds = t;

        switch (Node)
        {
            case NodeState.Running:
                Load(o, commands);
                PlanStop(time, StartPaysOff(gapBefore));
                break;
            case NodeState.Booting:
                Want(o);
                break;
            // after a failed boot or a lost node, not before the backoff ends (functions bridge meanwhile)
            case NodeState.Stopped or NodeState.Stopping when StartPaysOff(gapBefore) && (Node == NodeState.Stopping || _failures.MayStartNode(_time.GetUtcNow())):
                Want(o);
                if (Node == NodeState.Stopped)
                {
                    Start(commands);
                }
                else
                {
                    _restartWhenStopped = true;
                }

                break;
        }

        if (o.State != ObjectState.RedisRunning && !(Node == NodeState.Running && o.State == ObjectState.RedisBootup))
        {
            KeepFunction(o, time, commands);
        }
    }

    // a start pays off if the requests expected while it serves cost at least its node time off the node, judged on
    // two runs: stopped at the end of its billed minimum (the start window), or kept for a comeback horizon (the run
    // window: the stop rule keeps a node whose traffic is worth its price, so a start is not judged on its minimum
    // alone). Each learned per preceding gap, shrunk towards what the current rate of traffic (over the last
    // comeback horizon) would bring. Before any gap has been seen, FirstStartPaysOff decides instead
    private bool StartPaysOff(double gapBefore) =>
        _arrivals.Count > 0
        && (Pays(_startWindow, gapBefore, Settings.StartWindowFromSeconds, Settings.StartWindowToSeconds, Settings.NodeMinimumSeconds)
            || Pays(_runWindow, gapBefore, Settings.StartWindowFromSeconds, Settings.RunWindowToSeconds, Settings.ComebackSeconds));

    // before any gap has been seen the first request is all the policy knows of the traffic: the node starts if that
    // request's worth covers what a start bills (the minimum, M: billing begins at `running`), so that one more
    // request while the node is kept for the first gap (PlanStop's ski rental, at least the request's worth in node
    // time) pays for the start.
    // Taken when the key's first function is ready: its size is read as that function starts, so the policy knows by
    // then whether the node can take the key
    private bool FirstStartPaysOff =>
        _lastRequest is not null && _arrivals.Count == 0 && HorizonWorth >= Settings.NodePerSecond * Settings.NodeMinimumSeconds;

    private bool Pays(WindowValue window, double gapBefore, double from, double to, double billedSeconds)
    {
        double persists = _keepWindow.Recent(_lastSeconds) * (to - from) / Settings.ComebackSeconds;
        return window.Expected(gapBefore, persists) >= Settings.NodePerSecond * billedSeconds;
    }

    // what the requests of the last comeback horizon are worth off the node (before any gap: the first request's worth)
    private double HorizonWorth => _keepWindow.Since(_lastSeconds - Settings.ComebackSeconds, _lastSeconds);

    // what the node's traffic is worth off the node per second (the level traffic is expected to resume at after an
    // idle gap): the higher of its rate since the node was started (a fresh burst) and over the last comeback horizon
    // (a node restarted at a lone request still has the traffic before the start behind it)
    private double RunValue
    {
        get
        {
            double sinceStart = Math.Min(Settings.ComebackSeconds, _lastSeconds - _startSeconds);
            double horizon = HorizonWorth / Settings.ComebackSeconds;
            return sinceStart > 0 ? Math.Max(horizon, _keepWindow.Since(_lastSeconds - sinceStart, _lastSeconds) / sinceStart) : horizon;
        }
    }

    private void Want(DefaultObject o)
    {
        if (o.State is ObjectState.S3 or ObjectState.Lambda)
        {
            o.State = ObjectState.RedisBootup;
        }
    }

    private void Start(List<PolicyCommand> commands)
    {
        Node = NodeState.Booting;
        var now = _time.GetUtcNow();
        _startSeconds = Math.Min(Seconds(now), _lastSeconds);
        _billedFrom = now + TimeSpan.FromSeconds(Settings.PendingSeconds);
        _expectedReady = now + TimeSpan.FromSeconds(Settings.ExpectedBootSeconds);
        commands.Add(PolicyCommand.StartNode());
    }

    private void Load(DefaultObject o, List<PolicyCommand> commands)
    {
        if (o.State is ObjectState.S3 or ObjectState.Lambda && !o.LoadFailed && o.TooLarge.Allows(CacheLayer.Redis))
        {
            o.State = ObjectState.RedisBootup;
            commands.Add(PolicyCommand.LoadObject(o.Key));
        }
    }

    private void OnNodeReady(List<PolicyCommand> commands)
    {
        if (Node != NodeState.Booting)
        {
            return;
        }

        Node = NodeState.Running;
        _failures.NodeReady();
        var now = _time.GetUtcNow();
        foreach (var o in _objects.Values)
        {
            o.LoadFailed = false;
            if (o.State == ObjectState.RedisBootup || (o.State is ObjectState.S3 or ObjectState.Lambda && WorthLoading(o, now)))
            {
                o.State = ObjectState.S3;
                Load(o, commands);
            }
        }

        PlanStop(_lastRequest is { } last && last > now ? last : now);
    }

    // at ready: a key requested within the last comeback horizon, or any key whose requests expected within a comeback
    // horizon of the node (one per the longer of its mean gap and the time since its last request; a key seen once,
    // one per the time since) would cost more off the node (S3 + v each) than its load (one S3 GET)
    private bool WorthLoading(DefaultObject o, DateTimeOffset now)
    {
        if (o.LastRequest is not { } last || _pins.IsPinned(o.Key))
        {
            return false;
        }

        double since = (now - last).TotalSeconds;
        double gap = o.Gaps.Count > 0 ? Math.Max(o.Gaps.MeanGap, since) : since;
        return since <= Settings.ComebackSeconds
            || Settings.ComebackSeconds / gap * Settings.MissUsd >= (double)Settings.Prices.S3GetPerRequest;
    }

    private void OnLoaded(DefaultObject o, List<PolicyCommand> commands)
    {
        if (o.State != ObjectState.RedisBootup || Node != NodeState.Running)
        {
            return;
        }

        o.State = ObjectState.RedisRunning;
        o.Route = CacheLayer.Redis;
        commands.Add(PolicyCommand.SetRoute(o.Key, CacheLayer.Redis));
        if (o.FunctionsRunning > 0)
        {
            o.FunctionUntil = null;
            commands.Add(PolicyCommand.ShutdownFunction(o.Key));
        }
    }

    // the key leaves every layer for S3 at once (its object changed in the store, or it was pinned): every copy is
    // stale or not ours; the key starts over from S3 (what it learned of its traffic stays) and is loaded again on its
    // next request. A load under way is disowned (its ObjectLoaded finds the key on S3) and its copy evicted.
    private void Withdraw(DefaultObject o, List<PolicyCommand> commands)
    {
        if (o.State == ObjectState.RedisRunning || (o.State == ObjectState.RedisBootup && Node == NodeState.Running))
        {
            commands.Add(PolicyCommand.EvictObject(o.Key));
        }

        if (o.Route != CacheLayer.S3)
        {
            o.Route = CacheLayer.S3;
            commands.Add(PolicyCommand.RemoveRoute(o.Key));
        }

        if (o.FunctionsRunning > 0)
        {
            o.FunctionUntil = null;
            commands.Add(PolicyCommand.ShutdownFunction(o.Key));
        }

        o.State = ObjectState.S3;
    }

    // the orchestrator refused to put the key on this layer (SizeRefusals): it does not go there again, and leaves it if
    // it is on it or waiting for it. A refused function ends on its own (FunctionEnded follows); one that runs but whose
    // route was refused is shut down. The node is not stopped here: with the key's requests no longer counted for it, the
    // stop rule stops it at its planned time (a node booted for this key alone stops at the end of its minimum billing).
    private void OnTooLarge(DefaultObject o, CacheLayer layer, List<PolicyCommand> commands)
    {
        o.TooLarge = o.TooLarge.With(layer);
        switch (layer)
        {
            case CacheLayer.Lambda when o.Route == CacheLayer.Lambda:
                o.Route = CacheLayer.S3;
                commands.Add(PolicyCommand.RemoveRoute(o.Key));
                o.FunctionUntil = null;
                commands.Add(PolicyCommand.ShutdownFunction(o.Key));
                break;
            case CacheLayer.Redis when o.State is ObjectState.RedisBootup or ObjectState.RedisRunning:
                if (o.State == ObjectState.RedisRunning)
                {
                    commands.Add(PolicyCommand.EvictObject(o.Key));
                }

                LeaveNode(o, commands);
                break;
        }
    }

    private void OnPinned(string key, CacheLayer layer, List<PolicyCommand> commands)
    {
        // pinned first: a key pinned to the node keeps the node up while it leaves the policy's hands
        _pins.Pin(key, layer);
        if (_objects.TryGetValue(key, out var o))
        {
            Withdraw(o, commands);
            // the end of its function comes while the key is pinned: this policy does not hear it
            o.FunctionsRunning = 0;
        }

        if (layer == CacheLayer.Redis)
        {
            // the pin loads the key onto the node: the policy boots it, so that it knows the node is up and keeps it
            if (Node == NodeState.Stopped)
            {
                Start(commands);
            }
            else if (Node == NodeState.Stopping)
            {
                _restartWhenStopped = true;
            }
        }
    }

    private void OnNodeStopped(List<PolicyCommand> commands)
    {
        Node = NodeState.Stopped;
        _failures.NodeStopped();
        if (_restartWhenStopped || _pins.HoldNode)
        {
            _restartWhenStopped = false;
            Start(commands);
        }
    }

    private void OnNodeCommandFailed(PolicyCommandKind command, string key, List<PolicyCommand> commands)
    {
        var now = _time.GetUtcNow();
        switch (command)
        {
            case PolicyCommandKind.StartNode when Node == NodeState.Booting:
                // the node did not come up: the keys that waited for it go back to their function or S3, the next boot backs off
                Node = NodeState.Stopped;
                _failures.BootFailed(now);
                _stopAt = null;
                LeaveNode(commands);
                break;
            case PolicyCommandKind.LoadObject when _objects.TryGetValue(key, out var o) && o.State == ObjectState.RedisBootup:
                // not left waiting for a load that will not come (its function is kept by its own keep-alive, not held):
                // back to its function or S3, and not loaded again before the node's next boot
                o.LoadFailed = true;
                LeaveNode(o, commands);
                break;
            case PolicyCommandKind.StopNode when Node == NodeState.Stopping:
                _failures.StopFailed(now);
                break;
        }
    }

    // the node died under the policy: every key on it or waiting for it goes back to its function or S3, and the next
    // boot backs off (a crash loop costs a few boots, not one per request)
    private void OnNodeLost(List<PolicyCommand> commands)
    {
        if (Node == NodeState.Stopped)
        {
            return;
        }

        Node = NodeState.Stopped;
        var now = _time.GetUtcNow();
        _failures.NodeLost(now);
        _stopAt = null;
        _restartWhenStopped = false;
        LeaveNode(commands);
        if (_pins.HoldNode && _failures.MayStartNode(now))
        {
            Start(commands);
        }
    }

    // a restarted orchestrator found the key on this layer: take it up as if the policy had put it there
    private void OnRestored(DefaultObject o, CacheLayer layer)
    {
        var now = _time.GetUtcNow();
        switch (layer)
        {
            case CacheLayer.Lambda when o.State == ObjectState.S3:
                o.State = ObjectState.Lambda;
                o.Route = CacheLayer.Lambda;
                o.FunctionsRunning++;
                o.FunctionExpires = now + TimeSpan.FromSeconds(Settings.FunctionTimeoutSeconds);
                o.FunctionUntil = now + TimeSpan.FromSeconds(Math.Min(_economics.KeepAlive(o.Gaps, _keyGaps), Settings.FunctionTimeoutSeconds));
                _shutdowns.Schedule(o, o.FunctionUntil.Value);
                break;
            case CacheLayer.Redis when o.State != ObjectState.RedisRunning:
                // the restart is the last sign of demand it has: the stop rule counts from it
                if (Node != NodeState.Running)
                {
                    Node = NodeState.Running;
                    _startSeconds = Seconds(now);
                    _billedFrom = now - TimeSpan.FromSeconds(Settings.NodeMinimumSeconds);
                }

                o.State = ObjectState.RedisRunning;
                o.Route = CacheLayer.Redis;
                PlanStop(now);
                break;
        }
    }

    private void OnFunctionEnded(DefaultObject o, List<PolicyCommand> commands)
    {
        o.FunctionsRunning = Math.Max(0, o.FunctionsRunning - 1);
        if (o.FunctionsRunning > 0)
        {
            return;
        }

        o.FunctionUntil = null;
        if (o.Route == CacheLayer.Lambda)
        {
            o.Route = CacheLayer.S3;
            commands.Add(PolicyCommand.RemoveRoute(o.Key));
        }

        if (o.State == ObjectState.Lambda)
        {
            o.State = ObjectState.S3;
        }
    }

    // keep a function for the key's learned keep-alive time after this request (invoke one if none lasts that long);
    // while the node boots, until it is expected ready if the key's requests, one per mean gap, are worth more off the
    // node than the function time between them (the boot is bridged for the key as a whole, not gap by gap)
    private void KeepFunction(DefaultObject o, DateTimeOffset now, List<PolicyCommand> commands)
    {
        double keep = _economics.KeepAlive(o.Gaps, _keyGaps);
        if (Node == NodeState.Booting && o.Gaps.Count > 0 && o.Gaps.MeanGap <= Settings.BridgeGapSeconds)
        {
            keep = Math.Max(keep, (_expectedReady - now).TotalSeconds);
        }
        if (keep <= 0 || !o.TooLarge.Allows(CacheLayer.Lambda))
        {
            return;
        }

        var until = now + TimeSpan.FromSeconds(Math.Min(keep, Settings.FunctionTimeoutSeconds));
        if (o.FunctionsRunning == 0 || o.FunctionExpires < until)
        {
            o.FunctionsRunning++;
            o.FunctionExpires = now + TimeSpan.FromSeconds(Settings.FunctionTimeoutSeconds);
            commands.Add(PolicyCommand.InvokeFunction(o.Key, TimeSpan.FromSeconds(Settings.FunctionTimeoutSeconds)));
            commands.Add(PolicyCommand.KeepRunning(o.Key));
            if (o.State == ObjectState.S3)
            {
                o.State = ObjectState.Lambda;
            }
        }

        if (o.FunctionUntil is not { } planned || planned < until)
        {
            o.FunctionUntil = until;
            _shutdowns.Schedule(o, until);
        }
    }

    // the node stops when its traffic is worth less than its price, or when idle past the learned timeout; beyond the
    // longest idle gap learned, once the traffic of the last comeback horizon is worth less than the node time a stop
    // saves even if that traffic resumes at once (the stop and the boot's unbilled head: the comeback's Extra < 0), and
    // no later than the ski rental past that gap (StopRent); with no gap learned, not before the ski rental on the
    // first gap; never before the start's minimum billing ends, nor before the minimum a start at the last request
    // would bill if the start rule would start the node for that request
    private void PlanStop(DateTimeOffset lastRequest, bool startPaysOff = false)
    {
        double value = RunValue;
        var minimumEnds = _billedFrom + TimeSpan.FromSeconds(Settings.NodeMinimumSeconds);
        var stopAt = lastRequest;
        // no learned timeout decides this stop (the traffic is worth less than the node, or the node is idle beyond
        // the learned gaps): it is checked against the past gaps longer than its idle time
        bool unlearned = true;
        if (value >= Settings.NodePerSecond)
        {
            double idle = _economics.IdleTimeout(_arrivals, value, out double longestSeen);
            if (double.IsFinite(idle))
            {
                unlearned = false;
                stopAt = lastRequest + TimeSpan.FromSeconds(idle);
            }
            else
            {
                double falls = _keepWindow.FallsBelow(_lastSeconds, Settings.NodePerSecond * (Settings.StopSeconds + Settings.PendingSeconds));
                var fallsAt = (_origin ?? lastRequest) + TimeSpan.FromSeconds(falls);
                var afterLongest = lastRequest + TimeSpan.FromSeconds(longestSeen);
                // and no later than the ski rental past the longest gap learned
                if (Settings.StopRent is { } rent && fallsAt > afterLongest + rent)
                {
                    fallsAt = afterLongest + rent;
                }

                stopAt = fallsAt > afterLongest ? fallsAt : afterLongest;
            }
        }

        if (startPaysOff)
        {
            // a node this request would start is kept for as much node time as a start at it would bill (the minimum,
            // M, from the request: a start bills M from `running`, which comes pending after the request)
            var asStarted = lastRequest + TimeSpan.FromSeconds(Settings.NodeMinimumSeconds);
            stopAt = stopAt > asStarted ? stopAt : asStarted;
        }

        if (_arrivals.Count == 0 && Settings.StopRent is { } firstRent)
        {
            // no gap learned yet (a node started at the first request): the same ski rental on the first gap
            var rented = lastRequest + firstRent;
            stopAt = stopAt > rented ? stopAt : rented;
        }

        stopAt = stopAt > minimumEnds ? stopAt : minimumEnds;
        if (unlearned)
        {
            // moved to the idle time at which a stop would have cost least in the past gaps longer than it
            stopAt = lastRequest + TimeSpan.FromSeconds(_longGaps.StopAfter((stopAt - lastRequest).TotalSeconds));
        }

        _stopAt = stopAt;
    }

    private void Stop(List<PolicyCommand> commands)
    {
        LeaveNode(commands);
        NodeFailureRules.AddStop(commands);
        Node = NodeState.Stopping;
    }

    // every key on the node or waiting for it goes back to its function (if one runs) or S3
    private void LeaveNode(List<PolicyCommand> commands)
    {
        foreach (var o in _objects.Values)
        {
            if (o.State is ObjectState.RedisRunning or ObjectState.RedisBootup)
            {
                LeaveNode(o, commands);
            }
        }
    }

    // one key off the node (or its queue): back to its function, if one runs, or S3, and no longer routed to the node
    private static void LeaveNode(DefaultObject o, List<PolicyCommand> commands)
    {
        o.State = o.FunctionsRunning > 0 ? ObjectState.Lambda : ObjectState.S3;
        if (o.Route == CacheLayer.Redis)
        {
            o.Route = CacheLayer.S3;
            commands.Add(PolicyCommand.RemoveRoute(o.Key));
        }
    }
}
