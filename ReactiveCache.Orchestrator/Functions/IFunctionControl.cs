namespace ReactiveCache.Orchestrator.Functions;

/// <summary>
/// Commands to running functions over their control streams (the thesis's <c>keepRunning</c> and
/// <c>shutdown</c>). A command for a key whose function has not connected yet is kept for it briefly.
/// </summary>
public interface IFunctionControl
{
    /// <summary>Hold every function serving <paramref name="key"/> up (the cache node is booting). True if one was told.</summary>
    bool KeepRunning(string key);

    /// <summary>End every function serving <paramref name="key"/>. True if one was told.</summary>
    bool Shutdown(string key);

    /// <summary>Drops a command kept for <paramref name="key"/> until its function connects (the function it was meant for is not coming).</summary>
    void ForgetPending(string key);

    /// <summary>The invocations connected now, with their keys.</summary>
    IReadOnlyCollection<(string InvocationId, IReadOnlyList<string> Keys)> Connected { get; }
}
