using System.Text.Json.Serialization;

namespace ReactiveCache.Core.Functions;

/// <summary>What the function returns when its life ends (the Invoke response body).</summary>
/// <param name="EndedBy">What ended the life: <c>tick</c>, <c>shutdown</c> or <c>timeout</c>.</param>
/// <param name="Warm">Whether the objects were already in memory (a warm environment).</param>
public sealed record FunctionResult(
    [property: JsonPropertyName("invocationId")] string InvocationId,
    [property: JsonPropertyName("keys")] IReadOnlyList<string> Keys,
    [property: JsonPropertyName("served")] long Served,
    [property: JsonPropertyName("endedBy")] string EndedBy,
    [property: JsonPropertyName("lifeMs")] long LifeMs,
    [property: JsonPropertyName("warm")] bool Warm);
