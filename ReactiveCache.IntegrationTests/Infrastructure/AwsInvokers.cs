using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReactiveCache.Orchestrator.Functions;

namespace ReactiveCache.IntegrationTests.Infrastructure;

/// <summary>The orchestrator's SigV4 Lambda invoker on its own, pointed at an AWS-compatible endpoint on loopback.</summary>
public static class AwsInvokers
{
    public static AwsFunctionInvoker Create(string endpoint, string functionName, string region, AWSCredentials credentials)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(AwsFunctionInvoker.ClientName);
        var clients = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        var options = Options.Create(new FunctionOptions
        {
            Invoker = FunctionInvokerKind.Aws,
            Name = functionName,
            Region = region,
            Endpoint = endpoint,
        });
        return new AwsFunctionInvoker(clients, options, TimeProvider.System, credentials);
    }
}
