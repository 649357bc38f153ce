using System.Net.Http.Headers;
using System.Text.Json;
using ReactiveCache.Core.Functions;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>The Invoke API's request and response, shared by the AWS and the emulator invokers.</summary>
internal static class InvokeRequests
{
    public static (HttpRequestMessage Request, byte[] Body) Create(Uri baseUri, string functionName, FunctionPayload payload, FunctionInvocationType type)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, FunctionJsonContext.Default.FunctionPayload);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, $"2015-03-31/functions/{Uri.EscapeDataString(functionName)}/invocations"))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Amz-Invocation-Type", type.ToString());
        return (request, body);
    }

    public static async Task<FunctionInvocation> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        new((int)response.StatusCode,
            response.Headers.TryGetValues("X-Amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null,
            response.Headers.TryGetValues("X-Amz-Function-Error", out var errors) ? errors.FirstOrDefault() : null,
            await response.Content.ReadAsByteArrayAsync(cancellationToken));
}
