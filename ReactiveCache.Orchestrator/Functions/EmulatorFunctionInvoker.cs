using Microsoft.Extensions.Options;
using ReactiveCache.Core.Functions;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>Invokes through the local Lambda emulator's Invoke API (no signing: it is local).</summary>
public sealed class EmulatorFunctionInvoker(HttpClient http, IOptions<FunctionOptions> options) : IFunctionInvoker
{
    public async Task<FunctionInvocation> InvokeAsync(FunctionPayload payload, FunctionInvocationType type, CancellationToken cancellationToken)
    {
        var baseUri = new Uri(options.Value.EmulatorUrl.TrimEnd('/') + "/");
        var (request, _) = InvokeRequests.Create(baseUri, options.Value.Name, payload, type);
        using (request)
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return await InvokeRequests.ReadAsync(response, cancellationToken);
        }
    }
}
