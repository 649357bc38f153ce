using System.Net.Http.Headers;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// What every measured answer of a <see cref="GatewayTarget"/> must carry for it to count: a header with a
/// value (the gateway's <c>Content-Origin</c> naming the row's layer; nginx's cache status <c>HIT</c>). An
/// answer without it did not take the path the row names and counts as an error.
/// </summary>
public sealed record AnswerCheck(string Header, string Value)
{
    /// <summary>The header's first value ("(none)" without one).</summary>
    public static string Read(HttpResponseHeaders headers, string header) =>
        headers.TryGetValues(header, out var values) ? values.First() : "(none)";

    public bool Passes(HttpResponseHeaders headers) =>
        headers.TryGetValues(Header, out var values) && values.Contains(Value);
}
