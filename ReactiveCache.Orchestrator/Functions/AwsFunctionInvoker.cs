using Amazon.Runtime.Credentials;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Aws;
using ReactiveCache.Core.Functions;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>
/// Invokes AWS Lambda's Invoke API over HttpClient, SigV4-signed (<see cref="SigV4Signer"/>), with
/// credentials from the default AWS chain (instance role on EC2, environment, profile): never from
/// this repository's configuration.
/// </summary>
public sealed class AwsFunctionInvoker(IHttpClientFactory clients, IOptions<FunctionOptions> options, TimeProvider time) : IFunctionInvoker
{
    /// <summary>The named client (from the factory on every call, so that its handler rotates).</summary>
    public const string ClientName = "lambda-invoke-aws";

    public async Task<FunctionInvocation> InvokeAsync(FunctionPayload payload, FunctionInvocationType type, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var region = o.Region ?? "us-east-1";
        var baseUri = new Uri((string.IsNullOrWhiteSpace(o.Endpoint) ? $"https://lambda.{region}.amazonaws.com" : o.Endpoint).TrimEnd('/') + "/");
        var (request, body) = InvokeRequests.Create(baseUri, o.Name, payload, type);
        using (request)
        {
            var credentials = await DefaultAWSCredentialsIdentityResolver.GetCredentials().GetCredentialsAsync();
            SigV4Signer.Sign(request, body, new SigV4Credentials(credentials.AccessKey, credentials.SecretKey, credentials.UseToken ? credentials.Token : null),
                region, LambdaInvokeApi.Service, time.GetUtcNow());
            using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
            return await InvokeRequests.ReadAsync(response, cancellationToken);
        }
    }
}
