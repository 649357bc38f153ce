using System.Text.Json.Serialization;

namespace ReactiveCache.Core.Functions;

/// <summary>Source-generated JSON for the function's wire types (the function is Native AOT: no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FunctionPayload))]
[JsonSerializable(typeof(FunctionResult))]
[JsonSerializable(typeof(FunctionError))]
public sealed partial class FunctionJsonContext : JsonSerializerContext;
