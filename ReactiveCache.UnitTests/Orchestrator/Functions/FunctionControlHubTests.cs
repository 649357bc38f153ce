using Microsoft.Extensions.Logging.Abstractions;
using ReactiveCache.Orchestrator.Functions;

namespace ReactiveCache.UnitTests.Orchestrator.Functions;

public sealed class FunctionControlHubTests
{
    [Fact]
    public void A_listener_that_throws_neither_fails_the_connection_nor_keeps_the_others_from_hearing()
    {
        var hub = new FunctionControlHub(TimeProvider.System, NullLogger<FunctionControlHub>.Instance);
        var heard = new List<string>();
        hub.FunctionConnected += (_, _) => throw new InvalidOperationException("A listener's bug.");
        hub.FunctionConnected += (_, keys) => heard.AddRange(keys);

        var connection = hub.Connect("invocation-1", ["a"]);

        Assert.Equal(["a"], heard);
        Assert.True(hub.KeepRunning("a"));
        Assert.True(connection.Commands.Reader.TryRead(out var command));
        Assert.Equal(ReactiveCache.Core.Protos.Function.ControlCommand.CommandOneofCase.KeepRunning, command.CommandCase);
    }
}
