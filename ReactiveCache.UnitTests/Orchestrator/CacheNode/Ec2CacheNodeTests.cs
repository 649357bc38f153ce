using Amazon.EC2;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Orchestrator.CacheNode;

namespace ReactiveCache.UnitTests.Orchestrator.CacheNode;

public sealed class Ec2CacheNodeTests
{
    private static readonly CacheNodeOptions Options = new()
    {
        Kind = CacheNodeKind.Ec2,
        InstanceId = FakeEc2.InstanceId,
        Port = 6379,
        Password = "configured-password",
        PollInterval = TimeSpan.FromSeconds(2),
        ReadyTimeout = TimeSpan.FromSeconds(60),
    };

    private readonly FakeTimeProvider _time = new();
    private readonly RecordingProbe _probe = new();

    [Fact]
    public async Task A_stopped_instance_is_started_awaited_and_pinged_on_its_private_ip()
    {
        var (client, ec2) = FakeEc2.Create(InstanceStateName.Stopped);

        var endpoint = await DriveAsync(Node(client).StartAsync(CancellationToken.None));

        Assert.Equal(new CacheNodeEndpoint(FakeEc2.PrivateIp, 6379), endpoint);
        Assert.Equal(1, ec2.Calls.Count(c => c == "Start"));
        Assert.Equal(InstanceStateName.Running, ec2.State);
        Assert.Equal((endpoint, "configured-password"), Assert.Single(_probe.Pinged));
    }

    [Fact]
    public async Task An_instance_already_running_is_used_without_starting_it()
    {
        var (client, ec2) = FakeEc2.Create(InstanceStateName.Running);

        var endpoint = await DriveAsync(Node(client).StartAsync(CancellationToken.None));

        Assert.Equal(FakeEc2.PrivateIp, endpoint.Host);
        Assert.DoesNotContain("Start", ec2.Calls);
    }

    [Fact]
    public async Task A_pending_instance_is_awaited_without_a_second_start()
    {
        var (client, ec2) = FakeEc2.Create(InstanceStateName.Pending);

        await DriveAsync(Node(client).StartAsync(CancellationToken.None));

        Assert.DoesNotContain("Start", ec2.Calls);
        Assert.Equal(InstanceStateName.Running, ec2.State);
    }

    [Fact]
    public async Task A_stopping_instance_is_awaited_until_stopped_then_started()
    {
        var (client, ec2) = FakeEc2.Create(InstanceStateName.Stopping);

        await DriveAsync(Node(client).StartAsync(CancellationToken.None));

        var start = ec2.Calls.IndexOf("Start");
        Assert.True(start > 2, $"started after waiting for stopped: {string.Join(",", ec2.Calls)}");
        Assert.Equal(InstanceStateName.Running, ec2.State);
    }

    [Fact]
    public async Task A_terminated_instance_is_an_error()
    {
        var (client, _) = FakeEc2.Create(InstanceStateName.Terminated);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DriveAsync(Node(client).StartAsync(CancellationToken.None)));

        Assert.Contains("terminated", error.Message);
    }

    [Fact]
    public async Task An_instance_that_never_runs_times_out()
    {
        var (client, ec2) = FakeEc2.Create(InstanceStateName.Stopped);
        ec2.DescribesPerTransition = int.MaxValue;

        await Assert.ThrowsAsync<TimeoutException>(() => DriveAsync(Node(client).StartAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task Stop_stops_a_running_instance_and_waits_until_stopped()
    {
        var (client, ec2) = FakeEc2.Create(InstanceStateName.Running);

        await DriveAsync(Node(client).StopAsync(CancellationToken.None));

        Assert.Equal(1, ec2.Calls.Count(c => c == "Stop"));
        Assert.Equal(InstanceStateName.Stopped, ec2.State);
    }

    [Fact]
    public async Task Stop_of_a_stopped_instance_does_nothing()
    {
        var (client, ec2) = FakeEc2.Create(InstanceStateName.Stopped);

        await DriveAsync(Node(client).StopAsync(CancellationToken.None));

        Assert.DoesNotContain("Stop", ec2.Calls);
    }

    private Ec2CacheNode Node(IAmazonEC2 client) =>
        new(client, _probe, Microsoft.Extensions.Options.Options.Create(Options), _time, NullLogger<Ec2CacheNode>.Instance);

    /// <summary>Advances the fake clock poll by poll until the operation completes (bounded).</summary>
    private async Task DriveAsync(Task task)
    {
        for (var i = 0; i < 200 && !task.IsCompleted; i++)
        {
            await Task.Yield();
            _time.Advance(Options.PollInterval);
            await Task.Delay(1);
        }

        await task;
    }

    private async Task<T> DriveAsync<T>(Task<T> task)
    {
        await DriveAsync((Task)task);
        return await task;
    }

    private sealed class RecordingProbe : IRedisProbe
    {
        public List<(CacheNodeEndpoint, string)> Pinged { get; } = [];

        public Task WaitUntilReadyAsync(CacheNodeEndpoint endpoint, CacheNodeCredential credential, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Pinged.Add((endpoint, credential.Password));
            return Task.CompletedTask;
        }
    }
}
