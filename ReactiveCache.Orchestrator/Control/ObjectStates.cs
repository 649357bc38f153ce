using System.Collections.Concurrent;
using System.Diagnostics;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Gateways;
using ReactiveCache.Orchestrator.Telemetry;

namespace ReactiveCache.Orchestrator.Control;

/// <summary>
/// The objects the orchestrator knows of, as the control API shows them: the state the policy last put each in,
/// its requests (per layer, the last timestamps), its route and its history. The policy loop records each event
/// and publishes each object a command touched; the control API reads the views from any thread.
/// </summary>
public sealed class ObjectStates(ICachePolicy policy, GatewaySessions gateways, TimeProvider time, ILogger<ObjectStates> logger)
{
    private readonly ConcurrentDictionary<string, ObjectStateView> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ObjectStats> _stats = new(StringComparer.Ordinal);

    public IReadOnlyList<ObjectStateView> All => [.. _objects.Values.OrderBy(o => o.Key, StringComparer.Ordinal)];

    public ObjectStateView? Find(string key) => _objects.GetValueOrDefault(key);

    /// <summary>Counts a request, and publishes the objects the event concerns (all of them for a node event).</summary>
    public void Record(in PolicyEvent e)
    {
        if (e.Key.Length == 0)
        {
            foreach (var key in policy.Keys)
            {
                Publish(key);
            }

            return;
        }

        if (e.Kind == PolicyEventKind.RequestReceived)
        {
            StatsOf(e.Key).Requested(e.Layer, e.Time);
        }

        Publish(e.Key);
    }

    /// <summary>Brings <paramref name="key"/>'s view up to date with the policy and the routes (a state change is a span and a log line).</summary>
    public void Publish(string key)
    {
        var stats = StatsOf(key);
        var state = policy.StateOf(key);
        if (state != stats.State)
        {
            Transition(key, stats.State, state);
            stats.Entered(state, time.GetUtcNow());
        }

        _objects[key] = new ObjectStateView(key, stats.State.ToString(), stats.Requests,
            new Dictionary<string, long>
            {
                [CacheLayerNames.S3] = stats.ByLayer[(int)CacheLayer.S3],
                [CacheLayerNames.Lambda] = stats.ByLayer[(int)CacheLayer.Lambda],
                [CacheLayerNames.Redis] = stats.ByLayer[(int)CacheLayer.Redis],
            },
            [.. stats.Last],
            gateways.Routes.Lookup(key).ToName(),
            [.. stats.History]);
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
