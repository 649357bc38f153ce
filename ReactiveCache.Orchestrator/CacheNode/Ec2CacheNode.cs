using Amazon.EC2;
using Amazon.EC2.Model;
using Microsoft.Extensions.Options;

namespace ReactiveCache.Orchestrator.CacheNode;

/// <summary>
/// The cache node on AWS: a pre-created, normally stopped EC2 instance running Redis with AUTH.
/// Start: StartInstances, wait for <c>running</c>, discover the private IP, PING until Redis answers.
/// Copes with an instance that is already running, still pending, or still stopping.
/// </summary>
/// <remarks>
/// The waits poll DescribeInstances by hand: AWSSDK for .NET has no EC2 waiters (unlike the CLI and
/// the other SDKs), so this is the small loop they would run.
/// </remarks>
public sealed class Ec2CacheNode(
    IAmazonEC2 ec2,
    IRedisProbe probe,
    IOptions<CacheNodeOptions> options,
    TimeProvider time,
    ILogger<Ec2CacheNode> logger) : ICacheNode
{
    private readonly CacheNodeOptions _options = options.Value;
    private string InstanceId => _options.InstanceId!;

    public async Task<CacheNodeEndpoint> StartAsync(CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + _options.ReadyTimeout;
        var startRequested = false;
        while (true)
        {
            var instance = await DescribeAsync(cancellationToken);
            var state = instance.State.Name;
            if (state == InstanceStateName.Running)
            {
                var host = instance.PrivateIpAddress
                           ?? throw new InvalidOperationException($"Instance {InstanceId} is running but has no private IP address.");
                // Development only (validated on start): an offline EC2's address is never dialled.
                var endpoint = _options.LoopbackEndpoint is { } loopback
                    ? CacheNodeOptions.ParseLoopback(loopback)!
                    : new CacheNodeEndpoint(host, _options.Port);
                var left = deadline - time.GetUtcNow();
                await probe.WaitUntilReadyAsync(endpoint, _options.Loader, left > TimeSpan.Zero ? left : TimeSpan.FromSeconds(1), cancellationToken);
                return endpoint;
            }

            if (state == InstanceStateName.Stopped && !startRequested)
            {
                logger.LogInformation("Starting EC2 instance {InstanceId}", InstanceId);
                await ec2.StartInstancesAsync(new StartInstancesRequest { InstanceIds = [InstanceId] }, cancellationToken);
                startRequested = true;
            }
            else if (state == InstanceStateName.ShuttingDown || state == InstanceStateName.Terminated)
            {
                throw new InvalidOperationException($"Instance {InstanceId} is {state.Value}: the cache node cannot start.");
            }

            // pending → running, or stopping → stopped (then start): wait and look again.
            await WaitAsync(deadline, $"{InstanceId} to run (last state: {state.Value})", cancellationToken);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + _options.ReadyTimeout;
        var stopRequested = false;
        while (true)
        {
            var state = (await DescribeAsync(cancellationToken)).State.Name;
            if (state == InstanceStateName.Stopped || state == InstanceStateName.Terminated)
            {
                return;
            }

            if (!stopRequested && (state == InstanceStateName.Running || state == InstanceStateName.Pending))
            {
                logger.LogInformation("Stopping EC2 instance {InstanceId}", InstanceId);
                await ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [InstanceId] }, cancellationToken);
                stopRequested = true;
            }

            await WaitAsync(deadline, $"{InstanceId} to stop (last state: {state.Value})", cancellationToken);
        }
    }

    public async Task<bool> IsRunningAsync(CancellationToken cancellationToken)
    {
        try
        {
            var state = (await DescribeAsync(cancellationToken)).State.Name;
            return state == InstanceStateName.Running || state == InstanceStateName.Pending;
        }
        catch (AmazonEC2Exception e)
        {
            // The API did not answer: that says nothing about the instance.
            logger.LogWarning("Could not describe EC2 instance {InstanceId}: {Error}", InstanceId, e.Message);
            return true;
        }
    }

    public async Task<CacheNodeEndpoint?> FindRunningAsync(CancellationToken cancellationToken)
    {
        var state = (await DescribeAsync(cancellationToken)).State.Name;
        // A running or booting instance is waited for as a start would (it starts nothing more); one stopping stops.
        return state == InstanceStateName.Running || state == InstanceStateName.Pending ? await StartAsync(cancellationToken) : null;
    }

    private async Task<Instance> DescribeAsync(CancellationToken cancellationToken)
    {
        var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [InstanceId] }, cancellationToken);
        return response.Reservations?.SelectMany(r => r.Instances ?? []).FirstOrDefault(i => i.InstanceId == InstanceId)
               ?? throw new InvalidOperationException($"EC2 instance {InstanceId} does not exist.");
    }

    private async Task WaitAsync(DateTimeOffset deadline, string what, CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() >= deadline)
        {
            throw new TimeoutException($"Timed out waiting for EC2 instance {what}.");
        }

        await Task.Delay(_options.PollInterval, time, cancellationToken);
    }
}
