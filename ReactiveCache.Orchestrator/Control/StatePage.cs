namespace ReactiveCache.Orchestrator.Control;

/// <summary>What <c>GET /state</c> answers: one page of objects, and how the orchestrator holds up.</summary>
/// <param name="Objects">Objects in key order.</param>
/// <param name="Next">The <c>after</c> of the next page (null: this was the last).</param>
/// <param name="Tracked">Objects tracked now (bounded by <c>Policy:MaxTrackedKeys</c> plus those in use).</param>
/// <param name="Forgotten">Objects at rest forgotten so far.</param>
public sealed record StatePage(IReadOnlyList<ObjectStateView> Objects, string? Next, int Tracked, long Forgotten, FunctionsView Functions, DropsView Dropped);

/// <summary>Function invocations: running now, the cap (<c>Function:MaxConcurrentInvocations</c>), started and refused at the cap since start.</summary>
public sealed record FunctionsView(int Running, int MaxConcurrent, long Started, long Refused);

/// <summary>
/// What bounded queues dropped: request events the policy fell behind on, gateway sessions cut off for falling
/// behind, link attempts refused for want of the secret, and function commands given up.
/// </summary>
public sealed record DropsView(long RequestEvents, long GatewaySessions, long RefusedLinks, long FunctionCommands);
