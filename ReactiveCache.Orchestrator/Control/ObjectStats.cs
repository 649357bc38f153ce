using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;

namespace ReactiveCache.Orchestrator.Control;

/// <summary>What <see cref="ObjectStates"/> keeps of one object between events (touched by the policy loop only).</summary>
internal sealed class ObjectStats
{
    /// <summary>How many receive timestamps are kept: the thesis's window.</summary>
    public const int LastCount = 5;

    /// <summary>How many state changes the history keeps.</summary>
    public const int HistoryCount = 64;

    public ObjectState State { get; set; } = ObjectState.S3;

    public long Requests { get; set; }

    public long[] ByLayer { get; } = new long[3];

    public Queue<DateTimeOffset> Last { get; } = new();

    public List<StateChange> History { get; } = [];

    public void Requested(CacheLayer servedBy, DateTimeOffset at)
    {
        Requests++;
        ByLayer[(int)servedBy]++;
        Last.Enqueue(at);
        while (Last.Count > LastCount)
        {
            Last.Dequeue();
        }
    }

    public void Entered(ObjectState state, DateTimeOffset at)
    {
        State = state;
        History.Add(new StateChange(state.ToString(), at));
        if (History.Count > HistoryCount)
        {
            History.RemoveAt(0);
        }
    }
}
