using System.Reflection;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace ReactiveCache.UnitTests.Orchestrator.CacheNode;

/// <summary>
/// One EC2 instance that moves through its states as the real one does: Start on stopped → pending,
/// pending → running after <see cref="DescribesPerTransition"/> looks; Stop on running → stopping →
/// stopped likewise. Calls are recorded. Only what the cache node uses is implemented.
/// </summary>
public class FakeEc2 : DispatchProxy
{
    public const string InstanceId = "i-0123456789abcdef0";
    public const string PrivateIp = "10.0.1.23";

    public InstanceStateName State { get; set; } = InstanceStateName.Stopped;

    public int DescribesPerTransition { get; set; } = 2;

    public List<string> Calls { get; } = [];

    private int _describesInState;

    public static (IAmazonEC2 Client, FakeEc2 Fake) Create(InstanceStateName initial)
    {
        var client = Create<IAmazonEC2, FakeEc2>();
        var fake = (FakeEc2)(object)client;
        fake.State = initial;
        return (client, fake);
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        switch (method?.Name)
        {
            case nameof(IAmazonEC2.DescribeInstancesAsync):
                Calls.Add("Describe");
                Progress();
                return Task.FromResult(new DescribeInstancesResponse
                {
                    Reservations =
                    [
                        new Reservation
                        {
                            Instances =
                            [
                                new Instance
                                {
                                    InstanceId = InstanceId,
                                    State = new InstanceState { Name = State },
                                    PrivateIpAddress = State == InstanceStateName.Running ? PrivateIp : null,
                                },
                            ],
                        },
                    ],
                });
            case nameof(IAmazonEC2.StartInstancesAsync):
                Calls.Add("Start");
                if (State != InstanceStateName.Stopped)
                {
                    throw new AmazonEC2Exception($"IncorrectInstanceState: cannot start an instance that is {State.Value}");
                }

                Move(InstanceStateName.Pending);
                return Task.FromResult(new StartInstancesResponse());
            case nameof(IAmazonEC2.StopInstancesAsync):
                Calls.Add("Stop");
                Move(InstanceStateName.Stopping);
                return Task.FromResult(new StopInstancesResponse());
            case nameof(IDisposable.Dispose):
                return null;
            default:
                throw new InvalidOperationException($"The fake EC2 client does not model {method?.Name}.");
        }
    }

    private void Progress()
    {
        if (State != InstanceStateName.Pending && State != InstanceStateName.Stopping)
        {
            return;
        }

        if (++_describesInState > DescribesPerTransition)
        {
            Move(State == InstanceStateName.Pending ? InstanceStateName.Running : InstanceStateName.Stopped);
        }
    }

    private void Move(InstanceStateName state)
    {
        State = state;
        _describesInState = 0;
    }
}
