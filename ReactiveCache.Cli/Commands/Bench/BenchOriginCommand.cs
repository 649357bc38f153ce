using System.CommandLine;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// <c>reactive-cache bench origin</c> (hidden): bare Kestrel serving the bench's objects from memory on a loopback
/// port, in a process of its own (<see cref="LocalProcess.StartOriginAsync"/> starts it for <c>bench gateway</c>). It stops when its
/// standard input closes, so that it never outlives the bench.
/// </summary>
public static class BenchOriginCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Required = true, Description = "The loopback port to listen on." };
        var command = new Command("origin", "Bare Kestrel serving the bench's objects in its own process (used by bench gateway).") { port };
        command.Hidden = true;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, parse.GetValue(port)));
            var app = builder.Build();
            BareEndpoint.MapObjects(app, GatewayBenchRig.Bodies);
            await app.StartAsync(cancellationToken);
            await Task.Run(() => Console.In.ReadToEnd(), cancellationToken); // until the bench closes our input (or is gone)
            await app.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
