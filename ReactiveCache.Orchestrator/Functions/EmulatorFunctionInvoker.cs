using Microsoft.Extensions.Options;
using ReactiveCache.Core.Aws;
using ReactiveCache.Core.Functions;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>
/// Invokes through the local Lambda emulator's Invoke API, SigV4-signed as AWS requires, with the local key pair
/// the AppHost generates (<c>Function:EmulatorAccessKey</c>, <c>Function:EmulatorSecretKey</c>): the emulator
/// refuses anything else.
/// </summary>
public sealed class EmulatorFunctionInvoker(IHttpClientFactory clients, IOptions<FunctionOptions> options, TimeProvider time) : IFunctionInvoker
{
    /// <summary>The named client (from the factory on every call, so that its handler rotates).</summary>
    public const string ClientName = "lambda-invoke-emulator";

    public async Task<FunctionInvocation> InvokeAsync(FunctionPayload payload, FunctionInvocationType type, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var baseUri = new Uri(o.EmulatorUrl.TrimEnd('/') + "/");
        var (request, body) = InvokeRequests.Create(baseUri, o.Name, payload, type);
        using (request)
        {
            if (o.EmulatorAccessKey is { Length: > 0 } accessKey && o.EmulatorSecretKey is { Length: > 0 } secretKey)
            {
                SigV4Signer.Sign(request, body, new SigV4Credentials(accessKey, secretKey), LambdaInvokeApi.EmulatorRegion, LambdaInvokeApi.Service, time.GetUtcNow());
            }

            using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
            return await InvokeRequests.ReadAsync(response, cancellationToken);
        }
    }
}
