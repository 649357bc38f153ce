using System.Diagnostics;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Orchestrator.Engine;
using ReactiveCache.Orchestrator.Gateways;
using ReactiveCache.Orchestrator.Telemetry;

namespace ReactiveCache.Orchestrator.Control;

/// <summary>
/// The objects the orchestrator knows of, as the control API shows them: the state the policy last put each in,
/// its requests (per layer, the last timestamps), its route, its pin and its history. The policy loop records each
/// event and, after each step, publishes each object the step touched; publishing checks the invariant "a key's route
/// matches its state" (<see cref="RouteInvariant"/>): a mismatch is logged and counted. The control API reads the views
/// from any thread.
/// <para>Bounded like the policy's own state (<see cref="BoundedKeyMap{T}"/>, <c>Policy:MaxTrackedKeys</c>): an
/// object at rest (S3, served by S3, not pinned) is forgotten after <see cref="IdleAfter"/> without news, or sooner
/// while more than the capacity are held, so a flood of distinct keys cannot grow the views or the counters behind them.</para>
/// </summary>
public sealed class ObjectStates
{
    /// <summary>How long an object at rest stays visible after its last change (longer than the policy keeps it: for people reading <c>/state</c>).</summary>
    public static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(10);

    private readonly ICachePolicy _policy;
    private readonly GatewaySessions _gateways;
    private readonly RoutePins _pins;
    private readonly TimeProvider _time;
    private readonly ILogger<ObjectStates> _logger;

    // The views are read by the control API on any thread: every access holds the lock.
    private readonly Lock _lock = new();
    private readonly BoundedKeyMap<ObjectStateView> _objects;

    // Touched by the policy loop only; a key's counters at rest go with it.
    private readonly BoundedKeyMap<ObjectStats> _stats;
    private long _mismatches;

    public ObjectStates(ICachePolicy policy, GatewaySessions gateways, RoutePins pins, IOptions<PolicyOptions> options, TimeProvider time, ILogger<ObjectStates> logger)
    {
        _policy = policy;
        _gateways = gateways;
        _pins = pins;
        _time = time;
        _logger = logger;
        Bounds = new BoundedKeyMapSettings(options.Value.MaxTrackedKeys, IdleAfter);
        _objects = new BoundedKeyMap<ObjectStateView>(Bounds, IsAtRest, time);
        _stats = new BoundedKeyMap<ObjectStats>(Bounds, static s => s.State == ObjectState.S3, time);
    }

    /// <summary>The bounds this projection keeps to.</summary>
    public BoundedKeyMapSettings Bounds { get; }

    /// <summary>Objects held now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _objects.Count;
            }
        }
    }

    /// <summary>Objects forgotten so far (at rest and idle, or over the capacity).</summary>
    public long Forgotten
    {
        get
        {
            lock (_lock)
            {
                return _objects.Forgotten;
            }
        }
    }

    /// <summary>Up to <paramref name="limit"/> objects in key order, after the key <paramref name="after"/> (exclusive; null: from the first).</summary>
    public IReadOnlyList<ObjectStateView> Page(string? after, int limit)
    {
        lock (_lock)
        {
            return [.. _objects.Values
                .Where(v => after is null || string.CompareOrdinal(v.Key, after) > 0)
                .OrderBy(v => v.Key, StringComparer.Ordinal)
                .Take(limit)];
        }
    }

    public ObjectStateView? Find(string key)
    {
        lock (_lock)
        {
            return _objects.TryGetValue(key, out var view) ? view : null;
        }
    }

    /// <summary>How many times a published key's route did not match its state (or its pin) since start.</summary>
    public long RouteMismatches => Interlocked.Read(ref _mismatches);

    /// <summary>Counts a request (the loop publishes the objects an event concerns after the step).</summary>
    public void Record(in PolicyEvent e)
    {
        if (e.Kind == PolicyEventKind.RequestReceived)
        {
            StatsOf(e.Key).Requested(e.Layer, e.Time);
        }
    }

    /// <summary>
    /// Brings <paramref name="key"/>'s view up to date with the policy, the routes and the pins (a state change is a span
    /// and a log line), and checks that its route matches its state.
    /// </summary>
    public void Publish(string key)
    {
        var stats = StatsOf(key);
        var state = _policy.StateOf(key);
        if (state != stats.State)
        {
            Transition(key, stats.State, state);
            stats.Entered(state, _time.GetUtcNow());
        }

        var route = _gateways.Routes.Lookup(key);
        var pinned = _pins.LayerOf(key);
        if (pinned is { } pin ? !RouteInvariant.HoldsPinned(pin, route) : !RouteInvariant.Holds(state, route))
        {
            Interlocked.Increment(ref _mismatches);
            OrchestratorTelemetry.RouteMismatches.Add(1);
            _logger.LogWarning("{Key}: route {Route} does not match {What}", key, route.ToName(), pinned is { } p ? $"its pin to {p.ToName()}" : $"its state {state}");
        }

        var view = new ObjectStateView(key, stats.State.ToString(), stats.Requests,
            new Dictionary<string, long>
            {
                [CacheLayerNames.S3] = stats.ByLayer[(int)CacheLayer.S3],
                [CacheLayerNames.Lambda] = stats.ByLayer[(int)CacheLayer.Lambda],
                [CacheLayerNames.Redis] = stats.ByLayer[(int)CacheLayer.Redis],
            },
            [.. stats.Last],
            route.ToName(),
            [.. stats.History],
            pinned?.ToName());
        lock (_lock)
        {
            _objects.Set(key, view);
        }
    }

    private ObjectStats StatsOf(string key) => _stats.GetOrAdd(key, _ =>
    {
        var stats = new ObjectStats();
        stats.History.Add(new StateChange(ObjectState.S3.ToString(), _time.GetUtcNow()));
        return stats;
    });

    private static bool IsAtRest(ObjectStateView view) =>
        view.State == nameof(ObjectState.S3) && view.Route == CacheLayerNames.S3 && view.Pinned is null;

    /// <summary>Transitions are span events on the step that caused them, and spans of their own on the dashboard.</summary>
    private void Transition(string key, ObjectState from, ObjectState to)
    {
        Activity.Current?.AddEvent(new ActivityEvent("policy transition", tags: new ActivityTagsCollection
        {
            ["object.key"] = key,
            ["from"] = from.ToString(),
            ["to"] = to.ToString(),
        }));
        using (var transition = OrchestratorTelemetry.Source.StartActivity("policy transition"))
        {
            transition?.SetTag("object.key", key);
            transition?.AddEvent(new ActivityEvent($"{from} → {to}"));
        }

        _logger.LogInformation("{Key}: {From} → {To}", key, from, to);
    }
}
