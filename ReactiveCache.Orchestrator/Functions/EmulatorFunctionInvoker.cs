using Microsoft.Extensions.Options;
using ReactiveCache.Core.Functions;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>Invokes through the local Lambda emulator's Invoke API (no signing: it is local).</summary>
public sealed class EmulatorFunctionInvoker(IHttpClientFactory clients, IOptions<FunctionOptions> options) : IFunctionInvoker
{
    /// <summary>The named client (from the factory on every call, so that its handler rotates).</summary>
    public const string ClientName = "lambda-invoke-emulator";

    public async Task<FunctionInvocation> InvokeAsync(FunctionPayload payload, FunctionInvocationType type, CancellationToken cancellationToken)
    {
        var baseUri = new Uri(options.Value.EmulatorUrl.TrimEnd('/') + "/");
        var (request, _) = InvokeRequests.Create(baseUri, options.Value.Name, payload, type);
        using (request)
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
            return await InvokeRequests.ReadAsync(response, cancellationToken);
        }
    }
}
