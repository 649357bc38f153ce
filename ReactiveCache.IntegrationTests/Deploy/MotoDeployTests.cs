using System.Text;
using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Functions;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.IntegrationTests.Lambda;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Functions;

namespace ReactiveCache.IntegrationTests.Deploy;

/// <summary>
/// deploy.sh creates the real stack.yaml in an offline AWS (moto), the orchestrator's AWS paths work against
/// what it created, and destroy.sh removes it all. Only moto's loopback port is ever contacted: the addresses
/// moto gives instances are never dialled (the node's Redis is the tests' loopback redis-server).
/// </summary>
[Collection(NativeAotCollection.Name)]
public sealed class MotoDeployTests(NativeAotPublishFixture publish, RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private const string Region = "eu-central-1";
    private const string Stack = "rc-moto";
    private static readonly Lazy<Task<MotoServer>> Moto = new(() => SharedServers.StartAsync(MotoServer.StartAsync));
    private static readonly Lazy<Task<(int ExitCode, string Output)>> Deployed = new(() => DeployAsync(Stack));
    private static NativeAotPublishFixture? _publish;

    private MotoServer _moto = null!;

    public async Task InitializeAsync()
    {
        _publish ??= publish;
        _moto = await Moto.Value;
        var (exit, output) = await Deployed.Value;
        Assert.True(exit == 0, $"deploy.sh --endpoint-url exited {exit}:\n{output}");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_stack_is_created_with_its_function_instances_and_secrets()
    {
        var stack = await AwsJsonAsync("cloudformation", "describe-stacks", "--stack-name", Stack);
        Assert.Equal("CREATE_COMPLETE", stack["Stacks"]![0]!["StackStatus"]!.GetValue<string>());

        var function = await AwsJsonAsync("lambda", "get-function-configuration", "--function-name", $"{Stack}-function");
        Assert.Equal("provided.al2023", function["Runtime"]!.GetValue<string>());
        Assert.Equal(900, function["Timeout"]!.GetValue<int>());
        Assert.Equal(1024, function["MemorySize"]!.GetValue<int>());
        Assert.Equal(2, function["VpcConfig"]!["SubnetIds"]!.AsArray().Count);
        Assert.Equal("S3", function["Environment"]!["Variables"]!["ObjectStore__Kind"]!.GetValue<string>());

        var node = await NodeAsync();
        Assert.Equal("t2.micro", node.InstanceType.Value);
        Assert.Equal(InstanceStateName.Stopped, node.State.Name);

        var parameters = await AwsJsonAsync("ssm", "get-parameters", "--names",
            $"/reactive-cache/{Stack}/tunnel-secret", $"/reactive-cache/{Stack}/cache-node-reader-password",
            $"/reactive-cache/{Stack}/cache-node-writer-password",
            $"/reactive-cache/{Stack}/control-api-key", $"/reactive-cache/{Stack}/gateway-link-secret");
        Assert.Empty(parameters["InvalidParameters"]!.AsArray());
        Assert.All(parameters["Parameters"]!.AsArray(), p => Assert.Equal("SecureString", p!["Type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_orchestrators_ec2_node_starts_describes_and_stops_the_stacks_instance()
    {
        var node = await NodeAsync();
        using var host = Ec2NodeHost(node.InstanceId, "Development");
        var cacheNode = host.Services.GetRequiredService<ICacheNode>();

        var endpoint = await cacheNode.StartAsync(CancellationToken.None);

        // Running in the offline EC2, and reached through the loopback Redis instead of its private address.
        Assert.Equal(InstanceStateName.Running, (await NodeAsync()).State.Name);
        Assert.Equal(redis.Endpoint, endpoint.ToString());

        await cacheNode.StopAsync(CancellationToken.None);

        Assert.Equal(InstanceStateName.Stopped, (await NodeAsync()).State.Name);
    }

    [Fact]
    public async Task The_loopback_endpoint_is_refused_outside_development()
    {
        var node = await NodeAsync();
        using var host = Ec2NodeHost(node.InstanceId, "Production");

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<CacheNodeOptions>>().Value);
        Assert.Contains("LoopbackEndpoint", error.Message);
    }

    [Fact]
    public async Task The_sigv4_invoker_is_accepted_with_the_right_secret_and_refused_with_a_wrong_one()
    {
        var payload = new FunctionPayload("test-invocation", ["index.html"], 1, "http://127.0.0.1:1/tunnel/connect", null, new Dictionary<string, string> { ["http://127.0.0.1:1/tunnel/connect"] = "token" });
        // A function of the release's zip and the stack's role, created where moto echoes payloads (the stack's
        // own function lives in moto's other Lambda mode, which would need Docker to answer).
        await _moto.EchoLambdaPayloadsAsync(true);
        var role = await PhysicalIdAsync(Stack, "FunctionRole");
        await AwsJsonAsync("lambda", "create-function", "--function-name", $"{Stack}-echo", "--runtime", "provided.al2023",
            "--handler", "bootstrap", "--role", $"arn:aws:iam::123456789012:role/{role}",
            "--zip-file", $"fileb://{Path.Combine(DeployBuild.Packages, "function.zip")}");
        await _moto.CheckSignaturesAsync();
        try
        {
            var accepted = await Invoker(_moto.Credentials).InvokeAsync(payload, FunctionInvocationType.RequestResponse, CancellationToken.None);
            var wrong = new BasicAWSCredentials(_moto.Credentials.GetCredentials().AccessKey, "not-the-secret-key-at-all");
            var refused = await Invoker(wrong).InvokeAsync(payload, FunctionInvocationType.RequestResponse, CancellationToken.None);

            // moto runs no function code: it echoes the payload.
            Assert.True(accepted.StatusCode == 200, Encoding.UTF8.GetString(accepted.Body));
            Assert.Contains("\"keys\"", Encoding.UTF8.GetString(accepted.Body));
            Assert.Equal(403, refused.StatusCode);
            Assert.Contains("SignatureDoesNotMatch", Encoding.UTF8.GetString(refused.Body));
        }
        finally
        {
            await _moto.AcceptAnyRequestAsync();
            await _moto.EchoLambdaPayloadsAsync(false);
        }
    }

    [Fact]
    public async Task Destroy_removes_the_stacks_the_buckets_and_the_secrets_and_can_run_again()
    {
        const string stack = "rc-destroy";
        var (deployExit, deployOutput) = await DeployAsync(stack);
        Assert.True(deployExit == 0, deployOutput);
        var bucket = await PhysicalIdAsync(stack, "ObjectBucket");

        var (first, firstOutput) = await DestroyAsync(stack);
        var (second, secondOutput) = await DestroyAsync(stack);

        Assert.True(first == 0, firstOutput);
        Assert.True(second == 0, secondOutput);
        Assert.Contains($"{stack}: already gone", secondOutput);
        Assert.Contains($"{stack}-artifacts: already gone", secondOutput);
        foreach (var name in new[] { stack, $"{stack}-artifacts" })
        {
            var (exit, output) = await AwsAsync("cloudformation", "describe-stacks", "--stack-name", name);
            Assert.True(exit != 0 && output.Contains("does not exist"), output);
        }

        var (headExit, headOutput) = await AwsAsync("s3api", "head-bucket", "--bucket", bucket);
        Assert.True(headExit != 0, $"the object bucket {bucket} is still there: {headOutput}");
        var parameters = await AwsJsonAsync("ssm", "get-parameters", "--names", $"/reactive-cache/{stack}/tunnel-secret", $"/reactive-cache/{stack}/cache-node-writer-password");
        Assert.Empty(parameters["Parameters"]!.AsArray());
        // The other stack is untouched.
        Assert.Equal("CREATE_COMPLETE", (await AwsJsonAsync("cloudformation", "describe-stacks", "--stack-name", Stack))["Stacks"]![0]!["StackStatus"]!.GetValue<string>());
    }

    private static async Task<(int ExitCode, string Output)> DeployAsync(string stack)
    {
        var moto = await Moto.Value;
        var (buildExit, buildOutput) = await DeployBuild.RunOnceAsync(_publish!);
        Assert.True(buildExit == 0, buildOutput);
        return await ToolCommand.RunAsync(Path.Combine(DeployedSettings.DeployDirectory, "deploy.sh"),
            ["--endpoint-url", moto.Url, "--region", Region, "--stack", stack, "--client-cidr", DeployBuild.ClientCidr,
             "--no-build", "--build-dir", DeployBuild.BuildDirectory],
            TimeSpan.FromMinutes(15), moto.CliEnvironment());
    }

    private async Task<(int ExitCode, string Output)> DestroyAsync(string stack) =>
        await ToolCommand.RunAsync(Path.Combine(DeployedSettings.DeployDirectory, "destroy.sh"), ["--endpoint-url", _moto.Url, "--region", Region, "--stack", stack],
            TimeSpan.FromMinutes(10), _moto.CliEnvironment());

    private Task<(int ExitCode, string Output)> AwsAsync(params string[] args) =>
        ToolCommand.RunAsync(DeployTools.Aws, ["--endpoint-url", _moto.Url, "--region", Region, "--output", "json", .. args],
            TimeSpan.FromMinutes(2), _moto.CliEnvironment());

    private async Task<JsonNode> AwsJsonAsync(params string[] args)
    {
        var (exit, output) = await AwsAsync(args);
        Assert.True(exit == 0, $"aws {string.Join(' ', args)}: {output}");
        return JsonNode.Parse(output)!;
    }

    private async Task<string> PhysicalIdAsync(string stack, string logicalId) =>
        (await AwsJsonAsync("cloudformation", "list-stack-resources", "--stack-name", stack))["StackResourceSummaries"]!.AsArray()
        .Single(r => r!["LogicalResourceId"]!.GetValue<string>() == logicalId)!["PhysicalResourceId"]!.GetValue<string>();

    private AmazonEC2Client Ec2Client() =>
        new(_moto.Credentials, new AmazonEC2Config { ServiceURL = _moto.Url, AuthenticationRegion = Region });

    private async Task<Instance> NodeAsync()
    {
        var id = await PhysicalIdAsync(Stack, "CacheNode");
        using var ec2 = Ec2Client();
        var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [id] });
        return response.Reservations.SelectMany(r => r.Instances).Single();
    }

    /// <summary>The orchestrator's cache node registration, with the real EC2 client pointed at moto.</summary>
    private IHost Ec2NodeHost(string instanceId, string environment)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CacheNode:Kind"] = "Ec2",
            ["CacheNode:InstanceId"] = instanceId,
            ["CacheNode:Port"] = "6379",
            ["CacheNode:Region"] = Region,
            // As deployed: the loader's user (CacheNode:User's default) and its password.
            ["CacheNode:Password"] = RedisServer.WriterPassword,
            ["CacheNode:LoopbackEndpoint"] = redis.Endpoint,
            ["CacheNode:PollInterval"] = "00:00:00.200",
            ["CacheNode:ReadyTimeout"] = "00:00:30",
        });
        builder.AddCacheNode();
        builder.Services.Replace(ServiceDescriptor.Singleton<IAmazonEC2>(_ => Ec2Client()));
        return builder.Build();
    }

    private AwsFunctionInvoker Invoker(AWSCredentials credentials) => AwsInvokers.Create(_moto.Url, $"{Stack}-echo", Region, credentials);
}
