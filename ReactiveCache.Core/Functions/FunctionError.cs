using System.Text.Json.Serialization;

namespace ReactiveCache.Core.Functions;

/// <summary>The Lambda error document (Runtime API <c>/error</c> body, Invoke response with <c>X-Amz-Function-Error</c>).</summary>
public sealed record FunctionError(
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("errorType")] string ErrorType);
