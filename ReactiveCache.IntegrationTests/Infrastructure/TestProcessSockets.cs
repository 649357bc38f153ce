using System.Runtime.CompilerServices;
using ReactiveCache.Core.Hosting;
using ReactiveCache.IntegrationTests.Gateway;

namespace ReactiveCache.IntegrationTests.Infrastructure;

/// <summary>
/// The test process runs socket completions the runtime's default way, whatever order tests run in: the gateway's
/// <c>Program.cs</c> (hosted in memory by <see cref="Gateway.GatewayFactory"/>) would otherwise turn them on for the
/// whole process, and test code may block where a server must not. Servers started as processes
/// (<see cref="ServerProcess"/>) do not inherit this and decide for themselves.
/// </summary>
internal static class TestProcessSockets
{
    [ModuleInitializer]
    internal static void KeepCompletionsOnThePool() =>
        Environment.SetEnvironmentVariable(InlineSocketCompletions.EnvironmentVariable, "0");
}
