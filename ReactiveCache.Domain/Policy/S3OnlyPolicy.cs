namespace ReactiveCache.Domain.Policy;

/// <summary>Baseline: never caches; every key stays on S3.</summary>
public sealed class S3OnlyPolicy : ICachePolicy
{
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    public string Name => "s3-only";

    public NodeState Node => NodeState.Stopped;

    public DateTimeOffset? NextDueAt => null;

    public IReadOnlyCollection<string> Keys => _keys;

    public void Handle(in PolicyEvent e, List<PolicyCommand> commands)
    {
        if (e.Kind == PolicyEventKind.RequestReceived)
        {
            _keys.Add(e.Key);
        }
    }

    public void OnDue(List<PolicyCommand> commands)
    {
    }

    public ObjectState StateOf(string key) => ObjectState.S3;
}
