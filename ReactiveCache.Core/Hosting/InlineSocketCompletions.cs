using System.Diagnostics;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ReactiveCache.Core.Hosting;

/// <summary>
/// Socket completions run on the socket engine's thread instead of hopping to the thread pool, and Kestrel's
/// socket transport runs the request there too. The gateway and the function run only non-blocking code on
/// their sockets (Kestrel, YARP, the tunnel, the Redis, S3 and gRPC clients, all awaited), and on two shared
/// cores (or a fraction of a vCPU) every hop is a wake-up and a context switch. Both the Lambda and the Redis path
/// cost less CPU per request with them (measured: docs/gateway.md, "Inline socket completions").
/// </summary>
/// <remarks>
/// The runtime reads its switch only from the environment (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>),
/// once, when the process makes its first socket: so <see cref="PreferUnlessConfigured"/> is the first line of
/// <c>Program.cs</c>, and an environment that sets the variable (to <c>0</c>, say) decides instead. Child
/// processes inherit the variable. No package offers this switch; the pairing with Kestrel's
/// <see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/> is the one ASP.NET Core's own benchmarks use.
/// </remarks>
public static class InlineSocketCompletions
{
    public const string EnvironmentVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>How many socket engine threads (epoll loops) the runtime runs; read like the switch, from the environment only.</summary>
    public const string EngineThreadsVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    /// <summary>Whether this process runs socket completions inline (as far as its environment says).</summary>
    public static bool Enabled => Environment.GetEnvironmentVariable(EnvironmentVariable) == "1";

    /// <summary>Turns them on unless the environment already decides; whether they are on.</summary>
    /// <param name="engineThreads">
    /// Socket engine threads to run, unless the environment says (the runtime's default with inline completions
    /// is one per processor).
    /// </param>
    public static bool PreferUnlessConfigured(int? engineThreads = null)
    {
        foreach (var (variable, value) in Choices(Environment.GetEnvironmentVariable, engineThreads))
        {
            Environment.SetEnvironmentVariable(variable, value);
        }

        return Enabled;
    }

    /// <summary>What <see cref="PreferUnlessConfigured"/> sets, given the environment: only what it leaves unset.</summary>
    public static IEnumerable<(string Variable, string Value)> Choices(Func<string, string?> environment, int? engineThreads)
    {
        if (environment(EnvironmentVariable) is null)
        {
            yield return (EnvironmentVariable, "1");
        }

        if (engineThreads is { } threads && environment(EngineThreadsVariable) is null)
        {
            yield return (EngineThreadsVariable, threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// A program this process starts decides for itself, as deployed: it does not inherit this process's switch
    /// (which <see cref="PreferUnlessConfigured"/> may have set, or a test process turned off).
    /// </summary>
    public static ProcessStartInfo LeaveToChild(this ProcessStartInfo info)
    {
        info.Environment.Remove(EnvironmentVariable);
        info.Environment.Remove(EngineThreadsVariable);
        return info;
    }

    /// <summary>Kestrel's socket transport schedules the request on the completing thread when completions are inline.</summary>
    public static TBuilder AddInlineSocketScheduling<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.Configure<SocketTransportOptions>(o => o.UnsafePreferInlineScheduling = Enabled);
        return builder;
    }
}
