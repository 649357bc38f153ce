using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Policy.Default;
using ReactiveCache.Domain.Policy.Thesis;

namespace ReactiveCache.UnitTests.Domain.Policy;

/// <summary>
/// A hot key too large for a layer (<see cref="SizeRefusals"/>): both live policies, driven by a small engine that refuses
/// what the orchestrator refuses and says so as it does (<see cref="PolicyEventKind.ObjectTooLarge"/>, then the command's
/// usual end). Without the rule the thesis boots the node for the key after every stop and the default keeps the node up
/// for a key it cannot hold; a key too large for a function gets one started and refused at every burst.
/// </summary>
public sealed class SizeRefusalTests
{
    private const string Big = "big.bin";
    private static readonly TimeSpan Run = TimeSpan.FromMinutes(20);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2022, 2, 16, 12, 0, 0, TimeSpan.Zero));

    public static TheoryData<string> Policies => ["thesis", "default"];

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_hot_key_too_large_for_the_node_boots_it_at_most_once_and_the_node_stops(string kind)
    {
        // The engine tells only at the refusal: the policy learns it from the one load it is refused.
        var engine = new SizedEngine(Policy(kind), _time, tellWhenRead: false);
        engine.TooLarge(Big, CacheLayer.Redis);

        engine.Requests(Big, every: TimeSpan.FromMilliseconds(200), Run);

        Assert.Equal(1, engine.Boots);
        Assert.Equal(NodeState.Stopped, engine.Policy.Node);
        Assert.NotEqual(ObjectState.RedisRunning, engine.Policy.StateOf(Big));
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void No_policy_boots_the_node_for_a_key_whose_size_the_engine_read_at_its_function(string kind)
    {
        // As the orchestrator does: the key's size is read when its first function starts, and every layer it is too
        // large for is told then, before the key's requests would have it on the node.
        var engine = new SizedEngine(Policy(kind), _time, tellWhenRead: true);
        engine.TooLarge(Big, CacheLayer.Redis);

        engine.Requests(Big, every: TimeSpan.FromMilliseconds(200), Run);

        Assert.Equal(0, engine.Boots);
        Assert.True(engine.Invokes(Big) > 0, "the function serves the key meanwhile");
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_key_too_large_for_a_function_never_gets_a_second_one(string kind)
    {
        var engine = new SizedEngine(Policy(kind), _time, tellWhenRead: false);
        engine.TooLarge(Big, CacheLayer.Lambda);

        // Bursts with quiet gaps between them: each burst would start a function.
        for (var burst = 0; burst < 10; burst++)
        {
            engine.Requests(Big, every: TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(20));
            engine.Idle(TimeSpan.FromMinutes(2));
        }

        Assert.Equal(1, engine.Invokes(Big));
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_changed_object_may_go_where_its_old_version_was_refused(string kind)
    {
        var engine = new SizedEngine(Policy(kind), _time, tellWhenRead: false);
        engine.TooLarge(Big, CacheLayer.Redis);
        engine.Requests(Big, every: TimeSpan.FromMilliseconds(200), Run);
        Assert.Equal(1, engine.Boots);

        // The new version fits: the key is taken to the node again.
        engine.Replaced(Big);
        engine.Requests(Big, every: TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(2));

        Assert.Equal(2, engine.Boots);
        Assert.Equal(ObjectState.RedisRunning, engine.Policy.StateOf(Big));
    }

    [Fact]
    public void Always_on_asks_the_node_once_for_a_key_too_large_for_it_until_the_object_changes()
    {
        var engine = new SizedEngine(new AlwaysOnPolicy(_time), _time, tellWhenRead: false);
        engine.TooLarge(Big, CacheLayer.Redis);
        engine.Requests(Big, every: TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(2));
        Assert.Equal(1, engine.Loads(Big));

        engine.Replaced(Big);
        engine.Requests(Big, every: TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
        Assert.Equal(2, engine.Loads(Big));
        Assert.Equal(ObjectState.RedisRunning, engine.Policy.StateOf(Big));
    }

    [Fact]
    public void A_refusal_is_not_a_node_failure()
    {
        var policy = new ThesisPolicy(PolicyConfigurator.Derive(3, 4), _time);
        var commands = new List<PolicyCommand>();

        policy.Handle(PolicyEvent.ObjectTooLarge(Big, CacheLayer.Redis, _time.GetUtcNow()), commands);
        policy.Handle(PolicyEvent.NodeCommandFailed(PolicyCommandKind.LoadObject, Big, _time.GetUtcNow()), commands);

        Assert.Equal(0, policy.Failures.BootFailures);
        Assert.True(policy.Failures.MayStartNode(_time.GetUtcNow()));
        Assert.False(policy.Find(Big)!.TooLarge.Allows(CacheLayer.Redis));
        Assert.True(policy.Find(Big)!.TooLarge.Allows(CacheLayer.Lambda));
    }

    private ICachePolicy Policy(string kind) => kind switch
    {
        "thesis" => new ThesisPolicy(PolicyConfigurator.Derive(3, 4), _time),
        _ => new DefaultPolicy(DefaultPolicySettings.FromSensitivity(4), _time),
    };

    /// <summary>
    /// The orchestrator in miniature, on the fake clock: functions are ready at once and end at their life's end (or a
    /// shutdown), the node boots in 30 s and stops in 5 s, loads are done at once; a function or load of a key too large
    /// for its layer is refused the way the orchestrator refuses it.
    /// </summary>
    private sealed class SizedEngine(ICachePolicy policy, FakeTimeProvider time, bool tellWhenRead)
    {
        private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
        private readonly HashSet<(string Key, CacheLayer Layer)> _tooLarge = [];
        private readonly HashSet<string> _sizeRead = new(StringComparer.Ordinal);
        private readonly List<(string Key, DateTimeOffset Ends)> _functions = [];
        private readonly Dictionary<string, int> _invokes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _loads = new(StringComparer.Ordinal);
        private readonly List<(DateTimeOffset At, PolicyEvent Event)> _later = [];
        private readonly Queue<PolicyEvent> _now = new();
        private readonly List<PolicyCommand> _commands = [];

        public ICachePolicy Policy { get; } = policy;

        public int Boots { get; private set; }

        public int Invokes(string key) => _invokes.GetValueOrDefault(key);

        public int Loads(string key) => _loads.GetValueOrDefault(key);

        public void TooLarge(string key, CacheLayer layer) => _tooLarge.Add((key, layer));

        /// <summary>The object was replaced by one that fits everywhere.</summary>
        public void Replaced(string key)
        {
            _tooLarge.RemoveWhere(t => t.Key == key);
            _sizeRead.Remove(key);
            Handle(PolicyEvent.ObjectChanged(key, time.GetUtcNow()));
        }

        public void Requests(string key, TimeSpan every, TimeSpan duration)
        {
            var end = time.GetUtcNow() + duration;
            var next = time.GetUtcNow();
            while (time.GetUtcNow() < end)
            {
                if (time.GetUtcNow() >= next)
                {
                    Handle(PolicyEvent.RequestReceived(key, time.GetUtcNow(), CacheLayer.S3));
                    next += every;
                }

                Advance();
            }
        }

        public void Idle(TimeSpan duration)
        {
            var end = time.GetUtcNow() + duration;
            while (time.GetUtcNow() < end)
            {
                Advance();
            }
        }

        private void Advance()
        {
            time.Advance(Step);
            var now = time.GetUtcNow();
            foreach (var function in _functions.Where(f => f.Ends <= now).ToList())
            {
                _functions.Remove(function);
                _now.Enqueue(PolicyEvent.FunctionEnded(function.Key, now));
            }

            foreach (var due in _later.Where(l => l.At <= now).ToList())
            {
                _later.Remove(due);
                _now.Enqueue(due.Event);
            }

            if (Policy.NextDueAt is { } at && at <= now)
            {
                Policy.OnDue(_commands);
            }

            Drain();
        }

        private void Handle(PolicyEvent e)
        {
            _now.Enqueue(e);
            Drain();
        }

        private void Drain()
        {
            while (true)
            {
                while (_now.TryDequeue(out var e))
                {
                    Policy.Handle(e, _commands);
                }

                if (_commands.Count == 0)
                {
                    return;
                }

                var commands = _commands.ToList();
                _commands.Clear();
                foreach (var command in commands)
                {
                    Execute(command);
                }
            }
        }

        private void Execute(PolicyCommand command)
        {
            var now = time.GetUtcNow();
            var key = command.Key;
            switch (command.Kind)
            {
                case PolicyCommandKind.InvokeFunction:
                    _invokes[key] = Invokes(key) + 1;
                    if (Refused(key, CacheLayer.Lambda))
                    {
                        _now.Enqueue(PolicyEvent.FunctionEnded(key, now));
                    }
                    else
                    {
                        _functions.Add((key, now + command.Tick));
                        _now.Enqueue(PolicyEvent.FunctionReady(key, now));
                    }

                    break;
                case PolicyCommandKind.KeepRunning:
                    SetEnds(key, now + TimeSpan.FromMinutes(15));
                    break;
                case PolicyCommandKind.ShutdownFunction:
                    SetEnds(key, now);
                    break;
                case PolicyCommandKind.StartNode:
                    Boots++;
                    _later.Add((now + TimeSpan.FromSeconds(30), PolicyEvent.NodeReady(now)));
                    break;
                case PolicyCommandKind.LoadObject:
                    _loads[key] = Loads(key) + 1;
                    _now.Enqueue(Refused(key, CacheLayer.Redis)
                        ? PolicyEvent.NodeCommandFailed(PolicyCommandKind.LoadObject, key, now)
                        : PolicyEvent.ObjectLoaded(key, now));
                    break;
                case PolicyCommandKind.StopNode:
                    _later.Add((now + TimeSpan.FromSeconds(5), PolicyEvent.NodeStopped(now)));
                    break;
            }
        }

        private void SetEnds(string key, DateTimeOffset ends)
        {
            for (var i = 0; i < _functions.Count; i++)
            {
                if (_functions[i].Key == key)
                {
                    _functions[i] = (key, ends);
                }
            }
        }

        /// <summary>Whether the engine refuses <paramref name="key"/> on <paramref name="layer"/>; tells the policy as ObjectSizes does.</summary>
        private bool Refused(string key, CacheLayer layer)
        {
            var now = time.GetUtcNow();
            if (tellWhenRead && _sizeRead.Add(key))
            {
                foreach (var (_, tooLarge) in _tooLarge.Where(t => t.Key == key))
                {
                    _now.Enqueue(PolicyEvent.ObjectTooLarge(key, tooLarge, now));
                }

                return _tooLarge.Contains((key, layer));
            }

            if (!_tooLarge.Contains((key, layer)))
            {
                return false;
            }

            _now.Enqueue(PolicyEvent.ObjectTooLarge(key, layer, now));
            return true;
        }
    }
}
