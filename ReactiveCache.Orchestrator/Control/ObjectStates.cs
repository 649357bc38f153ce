using System.Collections.Concurrent;
using System.Diagnostics;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
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
/// </summary>
public sealed class ObjectStates(ICachePolicy policy, GatewaySessions gateways, RoutePins pins, TimeProvider time, ILogger<ObjectStates> logger)
{
    private readonly ConcurrentDictionary<string, ObjectStateView> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ObjectStats> _stats = new(StringComparer.Ordinal);
    private long _mismatches;

    public IReadOnlyList<ObjectStateView> All => [.. _objects.Values.OrderBy(o => o.Key, StringComparer.Ordinal)];

    public ObjectStateView? Find(string key) => _objects.GetValueOrDefault(key);

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
        var state = policy.StateOf(key);
        if (state != stats.State)
        {
            Transition(key, stats.State, state);
            stats.Entered(state, time.GetUtcNow());
        }

        var route = gateways.Routes.Lookup(key);
        var pinned = pins.LayerOf(key);
        if (pinned is { } pin ? !RouteInvariant.HoldsPinned(pin, route) : !RouteInvariant.Holds(state, route))
        {
            Interlocked.Increment(ref _mismatches);
            OrchestratorTelemetry.RouteMismatches.Add(1);
            logger.LogWarning("{Key}: route {Route} does not match {What}", key, route.ToName(), pinned is { } p ? $"its pin to {p.ToName()}" : $"its state {state}");
        }

        _objects[key] = new ObjectStateView(key, stats.State.ToString(), stats.Requests,
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
    }

    private ObjectStats StatsOf(string key)
    {
        if (!_stats.TryGetValue(key, out var stats))
        {
            _stats[key] = stats = new ObjectStats();
            stats.History.Add(new StateChange(ObjectState.S3.ToString(), time.GetUtcNow()));
        }

        return stats;
    }

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

        logger.LogInformation("{Key}: {From} → {To}", key, from, to);
    }
}
