using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Engine;
using ReactiveCache.Orchestrator.Functions;

namespace ReactiveCache.UnitTests.Orchestrator.Engine;

/// <summary>
/// The live AppHost test's traffic (DefaultPolicyAppHostTests: two keys, a GET each, then 300 ms) through the policy the
/// orchestrator builds by default, with the local node's start-up model, in virtual time; the engine imitated: a
/// function is ready 0.6 s after its invocation, the node 2 s after its start, a load takes 50 ms. A boot that fails
/// first (a slow machine) only delays the node by the backoff.
/// </summary>
public sealed class DefaultPolicyLiveTrafficTests
{
    private static readonly string[] Keys = ["hot-a.txt", "hot-b.txt"];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly PriorityQueue<PolicyEvent, DateTimeOffset> _engine = new();
    private readonly Dictionary<string, CacheLayer> _routes = new(StringComparer.Ordinal);
    private readonly ICachePolicy _policy;
    private bool _failNextBoot;

    public DefaultPolicyLiveTrafficTests()
    {
        var options = new PolicyOptions();
        var startup = PolicyStartup.From(options, new CacheNodeOptions { Kind = CacheNodeKind.Local, BootDelay = TimeSpan.FromSeconds(2) }, new FunctionOptions());
        _policy = PolicyFactory.Create(options, _time, startup: startup);
    }

    [Theory]
    [InlineData(false, 5)]
    [InlineData(true, 15)]
    public void Two_hot_keys_are_both_served_by_the_node_within_seconds(bool firstBootFails, double withinSeconds)
    {
        Assert.Equal("default", _policy.Name);
        _failNextBoot = firstBootFails;
        var start = _time.GetUtcNow();
        var next = start;
        while (Keys.Any(k => _routes.GetValueOrDefault(k) != CacheLayer.Redis) && _time.GetUtcNow() - start < TimeSpan.FromMinutes(3))
        {
            foreach (var key in Keys)
            {
                next = next.AddMilliseconds(20);
                RunUntil(next);
                Handle(PolicyEvent.RequestReceived(key, next, _routes.GetValueOrDefault(key, CacheLayer.S3)));
            }

            next = next.AddMilliseconds(300);
            RunUntil(next);
        }

        Assert.All(Keys, k => Assert.Equal(ObjectState.RedisRunning, _policy.StateOf(k)));
        Assert.InRange((_time.GetUtcNow() - start).TotalSeconds, 0, withinSeconds);
    }

    // the engine's events and the policy's due work, in time order, up to `to`
    private void RunUntil(DateTimeOffset to)
    {
        while (true)
        {
            DateTimeOffset? engine = _engine.TryPeek(out _, out var at) ? at : null;
            var due = _policy.NextDueAt;
            var first = due is { } d && (engine is not { } e || d < e) ? due : engine;
            if (first is not { } f || f > to)
            {
                break;
            }

            if (f > _time.GetUtcNow())
            {
                _time.SetUtcNow(f);
            }

            if (engine == f)
            {
                Handle(_engine.Dequeue() with { Time = f });
            }
            else
            {
                var commands = new List<PolicyCommand>();
                _policy.OnDue(commands);
                Execute(commands);
            }
        }

        _time.SetUtcNow(to);
    }

    private void Handle(PolicyEvent e)
    {
        var commands = new List<PolicyCommand>();
        _policy.Handle(e, commands);
        Execute(commands);
    }

    private void Execute(List<PolicyCommand> commands)
    {
        var now = _time.GetUtcNow();
        foreach (var c in commands)
        {
            switch (c.Kind)
            {
                case PolicyCommandKind.InvokeFunction:
                    _engine.Enqueue(PolicyEvent.FunctionReady(c.Key, now), now.AddSeconds(0.6));
                    break;
                case PolicyCommandKind.ShutdownFunction:
                    _engine.Enqueue(PolicyEvent.FunctionEnded(c.Key, now), now.AddSeconds(0.01));
                    break;
                case PolicyCommandKind.StartNode when _failNextBoot:
                    _failNextBoot = false;
                    _engine.Enqueue(PolicyEvent.NodeCommandFailed(PolicyCommandKind.StartNode, "", now), now.AddSeconds(2));
                    break;
                case PolicyCommandKind.StartNode:
                    _engine.Enqueue(PolicyEvent.NodeReady(now), now.AddSeconds(2));
                    break;
                case PolicyCommandKind.LoadObject:
                    _engine.Enqueue(PolicyEvent.ObjectLoaded(c.Key, now), now.AddSeconds(0.05));
                    break;
                case PolicyCommandKind.StopNode:
                    _engine.Enqueue(PolicyEvent.NodeStopped(now), now.AddSeconds(1));
                    break;
                case PolicyCommandKind.SetRoute:
                    _routes[c.Key] = c.Layer;
                    break;
                case PolicyCommandKind.RemoveRoute:
                    _routes.Remove(c.Key);
                    break;
            }
        }
    }
}
