using System.Net.Http.Headers;
using System.Text.Json;
using ReactiveCache.Core.Functions;

namespace ReactiveCache.Lambda.Runtime;

/// <summary>
/// The Lambda Runtime API (<c>$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/…</c>), as AWS documents it
/// for custom runtimes. Written by hand: Amazon.Lambda.RuntimeSupport is not available here, and the
/// API is four HTTP calls.
/// </summary>
public sealed class RuntimeApiClient(HttpClient http)
{
    public const string Version = "2018-06-01";

    private static readonly long MaxUnixMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>Long-polls for the next event (blocks while the environment is idle).</summary>
    public async Task<RuntimeInvocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"{Version}/runtime/invocation/next", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id")
                        ?? throw new InvalidOperationException("The Runtime API sent an event without Lambda-Runtime-Aws-Request-Id.");
        var deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), out var ms) && ms >= 0 && ms <= MaxUnixMs
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.UtcNow.AddMinutes(15);
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new RuntimeInvocation(requestId, deadline, Header(response, "Lambda-Runtime-Trace-Id"), payload);
    }

    public Task RespondAsync(string requestId, FunctionResult result, CancellationToken cancellationToken) =>
        PostAsync($"{Version}/runtime/invocation/{Uri.EscapeDataString(requestId)}/response",
            JsonSerializer.SerializeToUtf8Bytes(result, FunctionJsonContext.Default.FunctionResult), null, cancellationToken);

    public Task ErrorAsync(string requestId, Exception error, CancellationToken cancellationToken) =>
        PostAsync($"{Version}/runtime/invocation/{Uri.EscapeDataString(requestId)}/error", ErrorBody(error), error.GetType().Name, cancellationToken);

    /// <summary>The function could not start (configuration, listener, …): Lambda fails the pending invoke.</summary>
    public Task InitErrorAsync(Exception error, CancellationToken cancellationToken) =>
        PostAsync($"{Version}/runtime/init/error", ErrorBody(error), error.GetType().Name, cancellationToken);

    private async Task PostAsync(string path, byte[] body, string? errorType, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Error-Type", $"Runtime.{errorType}");
        }

        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static byte[] ErrorBody(Exception error) =>
        JsonSerializer.SerializeToUtf8Bytes(new FunctionError(error.Message, error.GetType().Name), FunctionJsonContext.Default.FunctionError);

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>
    /// An HttpClient for the Runtime API at <paramref name="runtimeApi"/> (<c>host:port</c>, optionally
    /// with a path prefix, as the local emulator hands out). No timeout: <c>next</c> blocks while idle.
    /// </summary>
    public static HttpClient CreateHttpClient(string runtimeApi) =>
        new(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = new Uri($"http://{runtimeApi.TrimEnd('/')}/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
}
