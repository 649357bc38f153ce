using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Traces;

namespace ReactiveCache.Domain.Simulation;

/// <summary>
/// Discrete-event, virtual-time run of ReactiveCache: the gateway route table, functions (with
/// <see cref="FunctionLifetime"/>), the node, and whatever <see cref="ICachePolicy"/> decides. No sleeping,
/// no network. At equal times internal events go before requests (a request at the very moment a
/// function's life ends goes to S3), and events in the order they were raised.
/// </summary>
public sealed class ReactiveSimulator
{
    private static readonly DateTimeOffset Epoch = new(2022, 2, 16, 0, 0, 0, TimeSpan.Zero);

    private readonly Trace _trace;
    private readonly SimulationOptions _options;
    private readonly SimulationClock _clock = new(Epoch);
    private readonly ICachePolicy _policy;
    private readonly Random _random;
    private readonly PriorityQueue<SimulationEvent, (long Ticks, long Seq)> _events = new();
    private readonly List<PolicyCommand> _commands = [];
    private readonly Dictionary<string, SimulatedKey> _keys = new(StringComparer.Ordinal);
    private readonly List<FunctionEnvironment> _idleEnvironments = [];
    private readonly List<RequestOutcome> _outcomes = [];
    private readonly List<Interval> _nodeRuns = [];
    private readonly List<Interval> _functionRuns = [];
    private readonly Usage _usage = new();
    private long _seq;
    private long _scheduledDue = long.MaxValue;
    private NodeState _node = NodeState.Stopped;
    private long _nodeReadyAt;
    private long _nodeBilledFrom;
    private long _eventCount;

    public ReactiveSimulator(Trace trace, SimulationOptions options, Func<TimeProvider, ICachePolicy> policyFactory)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policyFactory);
        _trace = trace;
        _options = options;
        _policy = policyFactory(_clock);
        _random = new Random(options.Seed);
    }

    public SimulationResult Run()
    {
        var duration = _options.Duration ?? _trace.Duration;
        long endTicks = Epoch.UtcTicks + duration.Ticks;
        var requests = _trace.Requests;
        double latencySum = 0;
        long inMemory = 0;
        int next = 0;
        while (true)
        {
            long requestTicks = next < requests.Count ? Epoch.UtcTicks + SecondsToTicks(requests[next].OffsetSeconds) : long.MaxValue;
            if (_events.TryPeek(out var ev, out var at) && at.Ticks <= requestTicks && at.Ticks <= endTicks)
            {
                _events.Dequeue();
                _clock.NowTicks = Math.Max(_clock.NowTicks, at.Ticks);
                _eventCount++;
                Process(ev);
            }
            else if (next < requests.Count)
            {
                var r = requests[next++];
                _clock.NowTicks = Math.Max(_clock.NowTicks, requestTicks);
                _eventCount++;
                var layer = Serve(r.Key);
                double latency = layer switch
                {
                    CacheLayer.Lambda => _options.Latency.LambdaMs,
                    CacheLayer.Redis => _options.Latency.RedisMs,
                    _ => _options.Latency.S3Ms,
                };
                latencySum += latency;
                if (layer == CacheLayer.S3)
                {
                    _usage.ClientS3Gets++;
                }
                else
                {
                    inMemory++;
                }

                if (_options.RecordRequests)
                {
                    _outcomes.Add(new RequestOutcome(r.OffsetSeconds, r.Key, layer, latency));
                }

                _policy.Handle(PolicyEvent.RequestReceived(r.Key, _clock.GetUtcNow(), layer), _commands);
                Execute();
            }
            else
            {
                break;
            }
        }

        Close(Math.Max(endTicks, _clock.NowTicks));
        return SimulationResult.Create(_trace.Name, SystemKind.Reactive.ToName(), _policy.Name, _options, duration.TotalSeconds,
                requests.Count, inMemory, latencySum, _usage) with
        {
            Rate = _options.Rate,
            Sensitivity = _options.Sensitivity,
            Outcomes = _outcomes,
            NodeRuns = _nodeRuns,
            FunctionRuns = _functionRuns,
            Events = _eventCount,
        };
    }

    private static long SecondsToTicks(double seconds) => (long)Math.Round(seconds * TimeSpan.TicksPerSecond);

    private double Seconds(long ticks) => (ticks - Epoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;

    private SimulatedKey Key(string key)
    {
        if (!_keys.TryGetValue(key, out var k))
        {
            k = new SimulatedKey(key);
            _keys.Add(key, k);
        }

        return k;
    }

    // The gateway: the route, with the fallback down the chain when the layer cannot serve.
    private CacheLayer Serve(string key)
    {
        var k = Key(key);
        switch (k.Route)
        {
            case CacheLayer.Redis when _node == NodeState.Running && k.OnNode:
                return CacheLayer.Redis;
            case CacheLayer.Redis:
            case CacheLayer.Lambda:
                foreach (var f in k.Functions)
                {
                    if (f.Life is { } life && !life.IsOver(_clock.GetUtcNow()))
                    {
                        life.OnServed(_clock.GetUtcNow());
                        return CacheLayer.Lambda;
                    }
                }

                return CacheLayer.S3;
            default:
                return CacheLayer.S3;
        }
    }

    private void Schedule(long ticks, SimulationEvent e) => _events.Enqueue(e, (ticks, _seq++));

    private void Process(SimulationEvent e)
    {
        switch (e.Kind)
        {
            case SimulationEventKind.FunctionReady:
                OnFunctionReady(e.Function!);
                break;
            case SimulationEventKind.FunctionDeadline:
                OnFunctionDeadline(e.Function!);
                break;
            case SimulationEventKind.FunctionEnded:
                _policy.Handle(PolicyEvent.FunctionEnded(e.Function!.Key.Name, _clock.GetUtcNow()), _commands);
                Execute();
                break;
            case SimulationEventKind.NodeReady when _node == NodeState.Booting:
                _node = NodeState.Running;
                _nodeReadyAt = _clock.NowTicks;
                if (_options.NodeBilling == NodeBilling.FromReady)
                {
                    _nodeBilledFrom = _nodeReadyAt;
                }
                _policy.Handle(PolicyEvent.NodeReady(_clock.GetUtcNow()), _commands);
                Execute();
                break;
            case SimulationEventKind.ObjectLoaded:
                if (_node == NodeState.Running)
                {
                    e.Key!.OnNode = true;
                    _policy.Handle(PolicyEvent.ObjectLoaded(e.Key.Name, _clock.GetUtcNow()), _commands);
                    Execute();
                }

                break;
            case SimulationEventKind.NodeStopped:
                _node = NodeState.Stopped;
                foreach (var k in _keys.Values)
                {
                    k.OnNode = false;
                }

                _policy.Handle(PolicyEvent.NodeStopped(_clock.GetUtcNow()), _commands);
                Execute();
                break;
            case SimulationEventKind.PolicyDue:
                _scheduledDue = long.MaxValue;
                _policy.OnDue(_commands);
                Execute();
                break;
        }
    }

    private void Execute()
    {
        for (int i = 0; i < _commands.Count; i++)
        {
            var c = _commands[i];
            switch (c.Kind)
            {
                case PolicyCommandKind.InvokeFunction:
                    Invoke(Key(c.Key), c.Tick);
                    break;
                case PolicyCommandKind.KeepRunning:
                    foreach (var f in Key(c.Key).Functions)
                    {
                        if (f.Life is { } life)
                        {
                            life.KeepRunning();
                        }
                        else
                        {
                            f.KeepRunningPending = true;
                        }
                    }

                    break;
                case PolicyCommandKind.ShutdownFunction:
                    var functions = Key(c.Key).Functions;
                    for (int j = functions.Count - 1; j >= 0; j--)
                    {
                        var f = functions[j];
                        if (f.Life is { } life)
                        {
                            life.Shutdown();
                            End(f);
                        }
                        else
                        {
                            f.ShutdownPending = true;
                        }
                    }

                    break;
                case PolicyCommandKind.StartNode:
                    if (_node == NodeState.Stopped)
                    {
                        _node = NodeState.Booting;
                        double boot = _options.Startup.DrawNodeBootSeconds(_random);
                        long ready = _clock.NowTicks + SecondsToTicks(boot);
                        // AWS bills from `running`, the end of the pending part of the boot (never after the node answers)
                        _nodeBilledFrom = Math.Min(ready, _clock.NowTicks + SecondsToTicks(_options.Startup.NodePendingSeconds));
                        Schedule(ready, new SimulationEvent(SimulationEventKind.NodeReady, null, null));
                    }

                    break;
                case PolicyCommandKind.LoadObject:
                    _usage.NodeLoadS3Gets++;
                    Schedule(_clock.NowTicks + SecondsToTicks(_options.Startup.ObjectLoadSeconds), new SimulationEvent(SimulationEventKind.ObjectLoaded, null, Key(c.Key)));
                    break;
                case PolicyCommandKind.SetRoute:
                    Key(c.Key).Route = c.Layer;
                    break;
                case PolicyCommandKind.RemoveRoute:
                    Key(c.Key).Route = CacheLayer.S3;
                    break;
                case PolicyCommandKind.EvictObject:
                    Key(c.Key).OnNode = false;
                    break;
                case PolicyCommandKind.DrainGateways:
                    // Gateways hold no in-flight reads in virtual time: the drain completes at once.
                    break;
                case PolicyCommandKind.StopNode:
                    if (_node is NodeState.Running or NodeState.Booting)
                    {
                        CloseNodeRun(_clock.NowTicks);

                        _node = NodeState.Stopping;
                        Schedule(_clock.NowTicks + SecondsToTicks(_options.Startup.NodeStopSeconds), new SimulationEvent(SimulationEventKind.NodeStopped, null, null));
                    }

                    break;
            }
        }

        _commands.Clear();
        if (_policy.NextDueAt is { } due)
        {
            long dueTicks = Math.Max(due.UtcTicks, _clock.NowTicks);
            if (dueTicks < _scheduledDue)
            {
                _scheduledDue = dueTicks;
                Schedule(dueTicks, new SimulationEvent(SimulationEventKind.PolicyDue, null, null));
            }
        }
    }

    private void Invoke(SimulatedKey key, TimeSpan tick)
    {
        _usage.FunctionInvocations++;
        FunctionEnvironment? environment = null;
        long now = _clock.NowTicks;
        long keepWarm = SecondsToTicks(_options.Startup.FunctionKeepWarmSeconds);
        for (int i = _idleEnvironments.Count - 1; i >= 0; i--)
        {
            if (now - _idleEnvironments[i].IdleSince <= keepWarm)
            {
                environment = _idleEnvironments[i];
                _idleEnvironments.RemoveAt(i);
                break;
            }
        }

        bool cold = environment is null;
        environment ??= new FunctionEnvironment();
        if (cold)
        {
            _usage.FunctionColdStarts++;
        }

        if (environment.Loaded.Add(key.Name))
        {
            _usage.ColdStartS3Gets++;
        }

        var f = new SimulatedFunction(key, tick, now, environment);
        key.Functions.Add(f);
        double startupMs = cold ? _options.Startup.FunctionColdMs : _options.Startup.FunctionWarmMs;
        Schedule(now + SecondsToTicks(startupMs / 1000.0), new SimulationEvent(SimulationEventKind.FunctionReady, f, null));
    }

    private void OnFunctionReady(SimulatedFunction f)
    {
        if (f.Ended)
        {
            return;
        }

        var now = _clock.GetUtcNow();
        f.ReadyAt = _clock.NowTicks;
        f.Life = new FunctionLifetime(f.Tick, now, TimeSpan.FromSeconds(_options.Startup.FunctionTimeoutSeconds));
        if (f.KeepRunningPending)
        {
            f.Life.KeepRunning();
        }

        if (f.ShutdownPending)
        {
            f.Life.Shutdown();
            End(f);
            return;
        }

        _policy.Handle(PolicyEvent.FunctionReady(f.Key.Name, now), _commands);
        Execute();
        Schedule(f.Life.EndsAt.UtcTicks, new SimulationEvent(SimulationEventKind.FunctionDeadline, f, null));
    }

    private void OnFunctionDeadline(SimulatedFunction f)
    {
        if (f.Ended || f.Life is null)
        {
            return;
        }

        if (f.Life.IsOver(_clock.GetUtcNow()))
        {
            End(f);
        }
        else
        {
            Schedule(f.Life.EndsAt.UtcTicks, new SimulationEvent(SimulationEventKind.FunctionDeadline, f, null));
        }
    }

    private void End(SimulatedFunction f)
    {
        if (f.Ended)
        {
            return;
        }

        f.Ended = true;
        long now = _clock.NowTicks;
        long from = f.ReadyAt ?? now;
        _usage.FunctionBilledMs += (long)Math.Ceiling((now - from) / (double)TimeSpan.TicksPerMillisecond);
        if (_options.RecordRequests)
        {
            _functionRuns.Add(new Interval(Seconds(from), Seconds(now), f.Key.Name));
        }

        f.Key.Functions.Remove(f);
        f.Environment.IdleSince = now;
        _idleEnvironments.Add(f.Environment);
        Schedule(now, new SimulationEvent(SimulationEventKind.FunctionEnded, f, null));
    }

    // Bills the run that ends now (if it reached its billed part: a boot stopped or cut off by the window's end
    // while still pending costs nothing, as on AWS); the recorded interval is the time the node served.
    private void CloseNodeRun(long now)
    {
        bool ready = _node == NodeState.Running;
        if (ready || (_options.NodeBilling == NodeBilling.FromRunning && now > _nodeBilledFrom))
        {
            _usage.NodeRunSeconds.Add((now - _nodeBilledFrom) / (double)TimeSpan.TicksPerSecond);
        }

        if (ready && _options.RecordRequests)
        {
            _nodeRuns.Add(new Interval(Seconds(_nodeReadyAt), Seconds(now), "node"));
        }
    }

    private void Close(long endTicks)
    {
        _clock.NowTicks = endTicks;
        if (_node is NodeState.Running or NodeState.Booting)
        {
            CloseNodeRun(endTicks);
        }

        foreach (var k in _keys.Values)
        {
            for (int j = k.Functions.Count - 1; j >= 0; j--)
            {
                var f = k.Functions[j];
                if (f.ReadyAt is { } ready)
                {
                    f.Ended = true;
                    _usage.FunctionBilledMs += (long)Math.Ceiling((endTicks - ready) / (double)TimeSpan.TicksPerMillisecond);
                    if (_options.RecordRequests)
                    {
                        _functionRuns.Add(new Interval(Seconds(ready), Seconds(endTicks), k.Name));
                    }
                }
            }

            k.Functions.Clear();
        }
    }
}
