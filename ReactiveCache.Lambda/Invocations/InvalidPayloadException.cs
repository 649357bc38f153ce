namespace ReactiveCache.Lambda.Invocations;

/// <summary>The invocation payload cannot be served (reported through the Runtime API's <c>/error</c>).</summary>
public sealed class InvalidPayloadException(string message) : Exception(message);
