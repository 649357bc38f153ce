using Amazon.Runtime.Credentials;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Functions;

namespace ReactiveCache.Orchestrator.Functions;

/// <summary>
/// Invokes AWS Lambda's Invoke API over HttpClient, SigV4-signed (<see cref="SigV4Signer"/>), with
/// credentials from the default AWS chain (instance role on EC2, environment, profile): never from
/// this repository's configuration.
/// </summary>
public sealed class AwsFunctionInvoker(HttpClient http, IOptions<FunctionOptions> options, TimeProvider time) : IFunctionInvoker
{
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
                region, "lambda", time.GetUtcNow());
            using var response = await http.SendAsync(request, cancellationToken);
            return await InvokeRequests.ReadAsync(response, cancellationToken);
        }
    }
}
