using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Domain.Costs;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Default;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;

namespace ReactiveCache.UnitTests.Domain.Policy;

public sealed class DefaultPolicyTests
{
    private const string Key = "index.html";
    private static readonly string[] ManyKeys = ["a", "b", "c", "d", "e", "f"];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2022, 2, 16, 12, 0, 0, TimeSpan.Zero));
    private readonly List<PolicyCommand> _commands = [];
    private readonly DefaultPolicySettings _settings = DefaultPolicySettings.FromSensitivity(4);
    private DefaultPolicy _policy;
    private int _nextKey;

    public DefaultPolicyTests() => _policy = new DefaultPolicy(_settings, _time);

    [Fact]
    public void Value_per_hit_grows_with_sensitivity_and_prices_come_from_the_table()
    {
        var low = DefaultPolicySettings.FromSensitivity(1);
        var high = DefaultPolicySettings.FromSensitivity(5, PriceTable.UsEast1);
        Assert.True(high.ValuePerHitUsd > low.ValuePerHitUsd);
        Assert.Equal(0.0116 / 3600, high.NodePerSecond, 12);
    }

    [Fact]
    public void A_busy_key_starts_the_node_and_a_function_bridges_the_boot()
    {
        // one request a second: the start window's requests cost more off the node than the node's billed minute,
        // and a function kept between requests costs less than S3 + v for each of them
        var all = new List<PolicyCommand>();
        for (int i = 0; i < 60 && _policy.Node == NodeState.Stopped; i++)
        {
            all.AddRange(Request(Key));
            all.AddRange(Due());
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Contains(PolicyCommand.StartNode(), all);
        Assert.Contains(PolicyCommand.InvokeFunction(Key, TimeSpan.FromSeconds(_settings.FunctionTimeoutSeconds)), all);
        Assert.True(_policy.KeepAliveSeconds(_policy.Find(Key)!) >= 1);
        Assert.Equal([PolicyCommand.SetRoute(Key, CacheLayer.Lambda)], Handle(PolicyEvent.FunctionReady(Key, _time.GetUtcNow())));
        Handle(PolicyEvent.NodeReady(_time.GetUtcNow()));
        Assert.Equal(
            [PolicyCommand.SetRoute(Key, CacheLayer.Redis), PolicyCommand.ShutdownFunction(Key)],
            Handle(PolicyEvent.ObjectLoaded(Key, _time.GetUtcNow())));
    }

    [Fact]
    public void A_key_whose_gaps_are_short_keeps_its_function_until_the_booting_node_is_expected_ready()
    {
        // six keys in turn, 0.5 s apart: each key's gap is 3 s, far under the function's break-even gap at s = 4
        // (S3 + v buys about 19 s of function), but its learned keep-alive is a few seconds. While the node boots the
        // function is kept until the node is expected ready, not gap by gap, so a pause in the boot is bridged too.
        BurstUntilStart();
        var started = _time.GetUtcNow() - TimeSpan.FromMilliseconds(500 * ManyKeys.Length);
        foreach (var key in ManyKeys)
        {
            // every key once more, so that each has a gap learned while the node boots
            _time.Advance(TimeSpan.FromMilliseconds(500));
            Request(key);
        }

        Assert.Equal(NodeState.Booting, _policy.Node);
        Assert.All(ManyKeys, key => Assert.True(_policy.KeepAliveSeconds(_policy.Find(key)!) < 10));
        var ready = started + TimeSpan.FromSeconds(_settings.ExpectedBootSeconds);
        var shutdowns = new List<PolicyCommand>();
        while (_time.GetUtcNow() < ready - TimeSpan.FromSeconds(1))
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            shutdowns.AddRange(Due().Where(c => c.Kind == PolicyCommandKind.ShutdownFunction));
        }

        Assert.Empty(shutdowns);
        _time.SetUtcNow(ready + TimeSpan.FromSeconds(1));
        var due = Due();
        Assert.All(ManyKeys, key => Assert.Contains(PolicyCommand.ShutdownFunction(key), due));
    }

    [Fact]
    public void Two_requests_are_judged_at_their_own_rate_from_the_policys_first_requests_on()
    {
        // the current rate is the worth of the requests after the first over the span they cover, the same estimate
        // as later in the policy's life. At s = 4 one request per 20 s (S3 + v each) is worth about four times the
        // node's price, and the start window then holds two of them: the node starts at the second request. (The
        // span used to be stretched to the window's length over the number of requests seen, so two requests 20 s
        // apart at the policy's start counted as one per 82 s and started nothing.) One per 100 s is worth less than
        // either window's node time.
        Request(Key);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Contains(PolicyCommand.StartNode(), Request(Key));

        _policy = new DefaultPolicy(_settings, _time);
        Request(Key);
        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.DoesNotContain(PolicyCommand.StartNode(), Request(Key));
        Assert.Equal(NodeState.Stopped, _policy.Node);
    }

    [Fact]
    public void A_first_request_starts_the_node_once_its_function_is_ready_when_its_worth_covers_what_a_start_bills()
    {
        // with no gap seen yet the request is all the policy knows of the traffic. At s = 4 a miss ($0.00031) is worth
        // about 85 s of node, more than a start bills (pending + minimum: 70 s), so one more request while the node is
        // kept for the first gap pays for the start. The start waits for the key's function: its size is read as the
        // function starts (SizeRefusalTests: a key too large for the node boots nothing). At s = 3 a miss ($0.00013)
        // is worth about 35 s of node: no start.
        var first = Request(Key);
        Assert.Contains(PolicyCommand.InvokeFunction(Key, TimeSpan.FromSeconds(_settings.FunctionTimeoutSeconds)), first);
        Assert.DoesNotContain(PolicyCommand.StartNode(), first);
        Assert.Equal(NodeState.Stopped, _policy.Node);
        Assert.Contains(PolicyCommand.StartNode(), Handle(PolicyEvent.FunctionReady(Key, _time.GetUtcNow())));
        Assert.Equal(NodeState.Booting, _policy.Node);

        _policy = new DefaultPolicy(DefaultPolicySettings.FromSensitivity(3), _time);
        Request(Key);
        Assert.DoesNotContain(PolicyCommand.StartNode(), Handle(PolicyEvent.FunctionReady(Key, _time.GetUtcNow())));
        Assert.Equal(NodeState.Stopped, _policy.Node);
    }

    [Fact]
    public void With_no_gap_learned_the_node_stays_idle_for_the_ski_rental_on_the_first_gap()
    {
        // ski rental on the first gap: nothing learned times the stop, so the node is kept idle (from the moment it is
        // ready: it served nothing before) until its price adds up to the least a comeback costs (the request that
        // ends the gap and the restart's boot at the lowest rate the start rule restarts for), at s = 4 about 131 s,
        // past the start's 70 s minimum
        var requested = _time.GetUtcNow();
        Request(Key);
        Handle(PolicyEvent.FunctionReady(Key, _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(30));
        var ready = _time.GetUtcNow();
        foreach (var c in Handle(PolicyEvent.NodeReady(_time.GetUtcNow())).Where(c => c.Kind == PolicyCommandKind.LoadObject))
        {
            Handle(PolicyEvent.ObjectLoaded(c.Key, _time.GetUtcNow()));
        }

        Assert.Equal(NodeState.Running, _policy.Node);
        var rentEnds = ready + _settings.StopRent!.Value;
        Assert.True(rentEnds > requested + TimeSpan.FromSeconds(_settings.PendingSeconds + _settings.NodeMinimumSeconds));
        while (_time.GetUtcNow() < rentEnds - TimeSpan.FromSeconds(1))
        {
            Assert.DoesNotContain(PolicyCommand.StopNode(), Due());
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        // the stop is planned at the rent's end, and a stop there comes from no other rule (the node's minimum ended)
        Assert.Equal(rentEnds, _policy.NextDueAt!.Value, TimeSpan.FromMilliseconds(1));
        _time.SetUtcNow(rentEnds);
        Assert.Contains(PolicyCommand.StopNode(), Due());
    }

    [Fact]
    public void A_node_idle_beyond_every_gap_it_has_learned_stops_at_the_ski_rental_past_the_longest_one()
    {
        // one request a second for five minutes, then silence. Idle beyond the longest gap learned (1 s), no learned
        // timeout decides the stop: the horizon rule alone kept the node until the last comeback horizon's requests
        // were worth less than a stop saves (about a horizon, 165 s, after the last request); the ski rental stops it
        // once its idle price adds up to the least a comeback costs (StopRent: about 131 s at s = 4) past that gap
        var rent = _settings.StopRent!.Value;
        Assert.True(rent < TimeSpan.FromSeconds(_settings.ComebackSeconds - 10));
        DateTimeOffset? started = null;
        var last = _time.GetUtcNow();
        for (int i = 0; i < 300; i++)
        {
            last = _time.GetUtcNow();
            if (Request(Key).Contains(PolicyCommand.StartNode()) || Handle(PolicyEvent.FunctionReady(Key, last)).Contains(PolicyCommand.StartNode()))
            {
                started = last;
            }

            if (started is { } s && _policy.Node == NodeState.Booting && last >= s + TimeSpan.FromSeconds(30))
            {
                foreach (var c in Handle(PolicyEvent.NodeReady(last)).Where(c => c.Kind == PolicyCommandKind.LoadObject))
                {
                    Handle(PolicyEvent.ObjectLoaded(c.Key, last));
                }
            }

            Assert.DoesNotContain(PolicyCommand.StopNode(), Due());
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(NodeState.Running, _policy.Node);
        while (_time.GetUtcNow() < last + rent)
        {
            Assert.DoesNotContain(PolicyCommand.StopNode(), Due());
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        // past the longest gap learned (1 s, up to its histogram bucket's edge) and the rent
        _time.SetUtcNow(last + rent + TimeSpan.FromSeconds(3));
        Assert.Contains(PolicyCommand.StopNode(), Due());
    }

    [Fact]
    public void Many_busy_keys_start_the_node_and_every_recent_key_is_loaded_at_ready()
    {
        int requests = BurstUntilStart();
        Assert.InRange(requests, 1, 60);
        Assert.Equal(NodeState.Booting, _policy.Node);
        _time.Advance(TimeSpan.FromSeconds(30));
        var ready = Handle(PolicyEvent.NodeReady(_time.GetUtcNow()));
        foreach (var key in ManyKeys)
        {
            Assert.Contains(PolicyCommand.LoadObject(key), ready);
        }

        var loaded = Handle(PolicyEvent.ObjectLoaded("a", _time.GetUtcNow()));
        Assert.Contains(PolicyCommand.SetRoute("a", CacheLayer.Redis), loaded);
        Assert.Equal(ObjectState.RedisRunning, _policy.StateOf("a"));
    }

    [Fact]
    public void A_key_last_requested_before_the_comeback_horizon_is_loaded_at_ready_when_its_expected_requests_are_worth_the_load()
    {
        // a key requested twice, 5 minutes apart, then not for 7 minutes: at ready it is outside the last comeback
        // horizon, but one request per 7 minutes is worth more within a horizon of the node (165 s / 420 s of S3 + v
        // at s = 4) than its load (one S3 GET): it is loaded with the busy keys, and its next request is a hit
        const string cold = "cold.html";
        Request(cold);
        _time.Advance(TimeSpan.FromMinutes(5));
        Request(cold);
        _time.Advance(TimeSpan.FromMinutes(7));
        Assert.Equal(NodeState.Stopped, _policy.Node);
        BurstUntilStart();
        _time.Advance(TimeSpan.FromSeconds(30));
        var ready = Handle(PolicyEvent.NodeReady(_time.GetUtcNow()));
        Assert.Contains(PolicyCommand.LoadObject(cold), ready);
        Assert.Contains(PolicyCommand.LoadObject("a"), ready);
    }

    [Fact]
    public void A_changed_object_leaves_the_node_and_its_function_and_is_loaded_fresh_on_its_next_request()
    {
        BurstUntilStart();
        Handle(PolicyEvent.NodeReady(_time.GetUtcNow()));
        Handle(PolicyEvent.ObjectLoaded("a", _time.GetUtcNow()));
        Assert.Equal(ObjectState.RedisRunning, _policy.StateOf("a"));

        var changed = Handle(PolicyEvent.ObjectChanged("a", _time.GetUtcNow()));

        Assert.Contains(PolicyCommand.EvictObject("a"), changed);
        Assert.Contains(PolicyCommand.RemoveRoute("a"), changed);
        Assert.Equal(ObjectState.S3, _policy.StateOf("a"));
        Assert.Contains(PolicyCommand.LoadObject("a"), Request("a"));

        // A load that was under way when the object changed is disowned: the key stays on S3 until its own load.
        Handle(PolicyEvent.ObjectChanged("b", _time.GetUtcNow()));
        Assert.DoesNotContain(PolicyCommand.SetRoute("b", CacheLayer.Redis), Handle(PolicyEvent.ObjectLoaded("b", _time.GetUtcNow())));
        Assert.Equal(ObjectState.S3, _policy.StateOf("b"));
    }

    [Fact]
    public void A_key_first_requested_while_the_node_runs_is_loaded()
    {
        ToRunning();
        Assert.Contains(PolicyCommand.LoadObject("new"), Request("new"));
        Assert.Equal(ObjectState.RedisBootup, _policy.StateOf("new"));
    }

    [Fact]
    public void The_node_stops_once_for_all_keys_after_the_learned_idle_timeout_never_inside_its_minimum_billing()
    {
        var started = ToRunning();
        var stopAt = _policy.NextDueAt!.Value;
        var minimumEnds = started + TimeSpan.FromSeconds(_settings.PendingSeconds + _settings.NodeMinimumSeconds);
        Assert.True(stopAt >= minimumEnds, $"{stopAt} < {minimumEnds}");
        Assert.True(double.IsFinite(_policy.IdleTimeoutSeconds));
        _time.SetUtcNow(stopAt - TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(PolicyCommand.StopNode(), Due());
        _time.SetUtcNow(stopAt);
        var stop = Due();
        Assert.Single(stop, c => c == PolicyCommand.StopNode());
        Assert.Contains(PolicyCommand.DrainGateways(), stop);
        Assert.Equal(NodeState.Stopping, _policy.Node);
        foreach (var key in ManyKeys)
        {
            Assert.NotEqual(ObjectState.RedisRunning, _policy.StateOf(key));
        }
    }

    [Fact]
    public void A_node_idle_past_every_gap_it_has_seen_stops_within_a_comeback_horizon_once_its_traffic_there_is_worth_less_than_a_stop_saves()
    {
        // a burst far above the node's price, then silence: the history says nothing about idleness this long, so the
        // node stops once the requests of the last comeback horizon are worth less than the node time a stop saves
        // (at the latest once they have left it), not after a break-even at the burst's rate (hours)
        ToRunning();
        for (int i = 0; i < 120; i++)
        {
            Request(ManyKeys[i % ManyKeys.Length]);
            _time.Advance(TimeSpan.FromMilliseconds(500));
        }

        var limit = _time.GetUtcNow() + TimeSpan.FromSeconds(_settings.ComebackSeconds);
        bool stopped = false;
        while (!stopped && _time.GetUtcNow() <= limit)
        {
            stopped = Due().Contains(PolicyCommand.StopNode());
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(stopped, $"not stopped within a comeback horizon of the last request (planned: {_policy.NextDueAt})");
    }

    [Theory]
    [InlineData(200, false)]
    [InlineData(2000, true)]
    public void The_stop_rule_counts_the_request_that_ends_an_idle_gap_at_its_off_node_price(double silence, bool stops)
    {
        // at s = 5 a miss is worth about 210 s of node. Bursts of 1 s gaps, each followed by a silence: the request that
        // ends a silence finds a stopped node and no function (none is worth keeping that long), so it is a miss. After
        // 200 s silences staying up (200 s of node) costs less than stopping (that miss, the boot's traffic and billed
        // part, less the node time saved); counted without that request, a stop right after a burst looked cheaper.
        // After 2000 s silences stopping still pays.
        var settings = DefaultPolicySettings.FromSensitivity(5);
        var arrivals = new GapHistogram();
        for (int burst = 0; burst < 4; burst++)
        {
            for (int i = 0; i < 16; i++)
            {
                arrivals.Add(1);
            }

            arrivals.Add(silence);
        }

        double timeout = new OffNodeEconomics(settings).IdleTimeout(arrivals, settings.NodePerSecond, out _);
        Assert.Equal(stops, double.IsFinite(timeout));
    }

    [Fact]
    public void A_request_the_start_rule_would_start_the_node_for_does_not_stop_the_running_node()
    {
        // bursts (six keys in turn, a request every 2 s for 100 s) after silences: the first of 200 s, then of 190 s.
        // The node can be up when a burst resumes after 190 s (the histogram has seen 200 s), and the last comeback
        // horizon then holds only that request: its value alone says stop. Once such resumptions were followed by
        // bursts, the start rule would start the node for that request, so the node is kept for the node time a start
        // at that request would bill (the minimum, M, from the request).
        var harness = new SortedList<double, PolicyEvent>();
        var resumptions = new List<double>();
        var stops = new List<double>();
        double t = BurstsThenSilences(0, [200, 190, 190, 190, 190], harness, stops, resumptions);
        BurstsThenSilences(t, [0], harness, stops);

        // from the third 190 s silence on, the windows after such a resumption have been learned
        foreach (double at in resumptions.Skip(3))
        {
            Assert.DoesNotContain(stops, s => s >= at && s < at + _settings.NodeMinimumSeconds);
        }
    }

    [Fact]
    public void After_a_burst_whose_last_request_would_start_the_node_the_node_is_kept_for_what_a_start_bills_and_no_longer()
    {
        // at s = 1, a burst (six keys in turn, a request every 2 s for 100 s), then silence: the burst is worth too
        // little to keep the node long past it (the ski rental on the gaps beyond the 2 s learned is 52 s), but the
        // start rule would start the node for the burst's last request (its start window holds 20 requests, worth
        // more than the billed minute), so the node is kept for the node time a start at that request would bill:
        // M from the request (a start bills M from `running`), not the end of a start's billed minute (pending + M)
        var settings = DefaultPolicySettings.FromSensitivity(1);
        _policy = new DefaultPolicy(settings, _time);
        var harness = new SortedList<double, PolicyEvent>();
        var resumptions = new List<double>();
        var stops = new List<double>();
        BurstsThenSilences(0, [300], harness, stops, resumptions);
        double last = resumptions[0] - 300;
        Assert.True(settings.StopRent!.Value.TotalSeconds + 2 < settings.NodeMinimumSeconds);
        double stop = Assert.Single(stops);
        Assert.InRange(stop, last + settings.NodeMinimumSeconds, last + settings.NodeMinimumSeconds + 1);
    }

    [Fact]
    public void A_stop_beyond_the_learned_gaps_waits_out_the_longer_past_gaps_after_which_the_traffic_came_back()
    {
        // bursts (six keys in turn, a request every 2 s) after silences of 170 s and 240 s in turn: one bucket of the
        // gap histogram, so the stop beyond the learned gaps comes between them. A stop made that early in a 240 s
        // silence would have lost against keeping the node: the burst came back while the node was still stopping,
        // and its requests until the node was back were worth more off the node than the node time saved. So after
        // the last burst (the last 240 s silence among the gaps kept) the node is kept through 240 s of silence, and
        // stopped after that.
        var harness = new SortedList<double, PolicyEvent>();
        var stops = new List<double>();
        double t = BurstsThenSilences(0, [170, 240, 170, 240, 170, 240], harness, stops);
        // the last burst lasts until the node, stopping when it began, is back and running at its last request
        t = BurstsThenSilences(t, [0], harness, stops, burst: 124);
        double last = t - 2;
        Assert.Equal(NodeState.Running, _policy.Node);
        stops.Clear();
        for (double end = t + 600; t < end; t++)
        {
            Tick(t, harness, stops, null);
        }

        Assert.NotEmpty(stops);
        Assert.True(stops[0] >= last + 240, $"stopped {stops[0] - last} s after the last request");
    }

    [Fact]
    public void Traffic_worth_the_nodes_price_but_sparser_than_its_billed_minute_starts_the_node()
    {
        // one request every 72 s at s = 4: each is worth more than 72 s of node, so the node pays for itself, but no
        // request lands in the start window of another ([30.2 s, 70 s] after it): judged on its billed minute alone no
        // start pays. Judged on a comeback-long run (two requests in [30.2 s, 175.2 s]) it does.
        var stops = new List<double>();
        Assert.True(EveryGap(72, 30, stops) is not null, "the node was never started");
    }

    [Fact]
    public void A_node_started_at_a_lone_request_values_its_traffic_over_the_last_comeback_horizon_and_stays_up()
    {
        // one request every 72 s at s = 5, worth far more than the node's price: a node started at one of them has no
        // traffic since its start, but the comeback horizon before it holds two more; valued at those it stays up
        // rather than stopping at the end of its minimum (70 s), before the next request
        _policy = new DefaultPolicy(DefaultPolicySettings.FromSensitivity(5), _time);
        var stops = new List<double>();
        Assert.True(EveryGap(72, 30, stops) is not null, "the node was never started");
        Assert.Empty(stops);
        Assert.Equal(NodeState.Running, _policy.Node);
    }

    [Fact]
    public void Traffic_that_returns_while_the_node_stops_restarts_it_once_stopped()
    {
        ToRunning();
        _time.SetUtcNow(_policy.NextDueAt!.Value);
        Due();
        Assert.Equal(NodeState.Stopping, _policy.Node);
        var all = new List<PolicyCommand>();
        for (int i = 0; i < 60 && _policy.StateOf("a") != ObjectState.RedisBootup; i++)
        {
            all.AddRange(Request(ManyKeys[i % ManyKeys.Length]));
            _time.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.DoesNotContain(PolicyCommand.StartNode(), all);
        Assert.Equal(ObjectState.RedisBootup, _policy.StateOf("a"));
        Assert.Equal([PolicyCommand.StartNode()], Handle(PolicyEvent.NodeStopped(_time.GetUtcNow())));
    }

    // one step of a run at second `at`: node events due by then, the policy's timers, then the request (if any); the
    // node's commands are answered as the start-up model would (ready 30 s after a start, stopped 135 s after a stop)
    private void Tick(double at, SortedList<double, PolicyEvent> harness, List<double> stops, Func<List<PolicyCommand>>? request)
    {
        var origin = new DateTimeOffset(2022, 2, 16, 12, 0, 0, TimeSpan.Zero);
        _time.SetUtcNow(origin + TimeSpan.FromSeconds(at));
        var commands = new List<PolicyCommand>();
        while (harness.Count > 0 && harness.Keys[0] <= at)
        {
            var e = harness.Values[0];
            harness.RemoveAt(0);
            commands.AddRange(Handle(e));
        }

        commands.AddRange(Due());
        if (request is not null)
        {
            commands.AddRange(request());
        }

        foreach (var c in commands)
        {
            switch (c.Kind)
            {
                case PolicyCommandKind.StartNode:
                    harness.Add(at + 30, PolicyEvent.NodeReady(origin + TimeSpan.FromSeconds(at + 30)));
                    break;
                case PolicyCommandKind.StopNode:
                    stops.Add(at);
                    harness.Add(at + 135, PolicyEvent.NodeStopped(origin + TimeSpan.FromSeconds(at + 135)));
                    break;
                case PolicyCommandKind.LoadObject:
                    Handle(PolicyEvent.ObjectLoaded(c.Key, _time.GetUtcNow()));
                    break;
            }
        }
    }

    // for each silence: six keys in turn, a request every 2 s for `burst` seconds, then the silence (the gap from the
    // burst's last request), second by second with Tick from `t`; adds the time each silence ended to `resumptions`
    // and returns the time after the last
    private double BurstsThenSilences(
        double t, double[] silences, SortedList<double, PolicyEvent> harness, List<double> stops, List<double>? resumptions = null, double burst = 100)
    {
        foreach (double silence in silences)
        {
            for (double end = t + burst; t < end; t += 2)
            {
                Tick(t, harness, stops, () => Request(ManyKeys[_nextKey++ % ManyKeys.Length]));
            }

            for (double end = t + silence - 2; t < end; t++)
            {
                Tick(t, harness, stops, null);
            }

            resumptions?.Add(t);
        }

        return t;
    }

    // one key requested every `gap` seconds, `count` times, run second by second with Tick; returns when the node
    // was first started (null: never)
    private double? EveryGap(int gap, int count, List<double> stops)
    {
        var harness = new SortedList<double, PolicyEvent>();
        double? startedAt = null;
        for (int i = 0; i < count; i++)
        {
            for (int second = 0; second < gap; second++)
            {
                double at = (i * gap) + second;
                Tick(at, harness, stops, second == 0 ? () => Request(Key) : null);
                startedAt ??= _policy.Node == NodeState.Stopped ? null : at;
            }
        }

        return startedAt;
    }

    // six keys in turn, 0.5 s apart, until the policy starts the node; returns the requests it took
    private int BurstUntilStart()
    {
        for (int i = 0; i < 600; i++)
        {
            var commands = Request(ManyKeys[i % ManyKeys.Length]);
            if (commands.Contains(PolicyCommand.StartNode()))
            {
                // the remaining keys once more, so each has a recent request
                for (int j = i + 1; j <= i + ManyKeys.Length; j++)
                {
                    _time.Advance(TimeSpan.FromMilliseconds(500));
                    Request(ManyKeys[j % ManyKeys.Length]);
                }

                return i + 1;
            }

            _time.Advance(TimeSpan.FromMilliseconds(500));
        }

        return int.MaxValue;
    }

    // returns when the node was started
    private DateTimeOffset ToRunning()
    {
        Assert.NotEqual(int.MaxValue, BurstUntilStart());
        var started = _time.GetUtcNow() - TimeSpan.FromMilliseconds(500 * ManyKeys.Length);
        _time.Advance(TimeSpan.FromSeconds(30));
        foreach (var c in Handle(PolicyEvent.NodeReady(_time.GetUtcNow())))
        {
            if (c.Kind == PolicyCommandKind.LoadObject)
            {
                Handle(PolicyEvent.ObjectLoaded(c.Key, _time.GetUtcNow()));
            }
        }

        Assert.Equal(NodeState.Running, _policy.Node);
        return started;
    }

    private List<PolicyCommand> Request(string key, CacheLayer servedBy = CacheLayer.S3) =>
        Handle(PolicyEvent.RequestReceived(key, _time.GetUtcNow(), servedBy));

    private List<PolicyCommand> Handle(PolicyEvent e)
    {
        _commands.Clear();
        _policy.Handle(e, _commands);
        return [.. _commands];
    }

    private List<PolicyCommand> Due()
    {
        _commands.Clear();
        _policy.OnDue(_commands);
        return [.. _commands];
    }
}
