using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;

namespace ReactiveCache.UnitTests.Orchestrator.Engine;

/// <summary>A policy for engine tests: records every event it hears and answers each with the commands the test scripted.</summary>
internal sealed class ScriptedPolicy(Func<PolicyEvent, IEnumerable<PolicyCommand>> script) : ICachePolicy
{
    private readonly Lock _lock = new();
    private readonly List<PolicyEvent> _heard = [];

    public string Name => "scripted";

    public NodeState Node => NodeState.Stopped;

    public DateTimeOffset? NextDueAt => null;

    public IReadOnlyCollection<string> Keys => [];

    /// <summary>Every event heard so far, in order.</summary>
    public IReadOnlyList<PolicyEvent> Heard
    {
        get
        {
            lock (_lock)
            {
                return [.. _heard];
            }
        }
    }

    public void Handle(in PolicyEvent e, List<PolicyCommand> commands)
    {
        lock (_lock)
        {
            _heard.Add(e);
        }

        commands.AddRange(script(e));
    }

    public void OnDue(List<PolicyCommand> commands)
    {
    }

    public ObjectState StateOf(string key) => ObjectState.S3;
}
