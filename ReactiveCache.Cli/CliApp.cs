using System.CommandLine;
using ReactiveCache.Cli.Commands.Bench;
using ReactiveCache.Cli.Commands.Configure;
using ReactiveCache.Cli.Commands.Replay;
using ReactiveCache.Cli.Commands.Report;
using ReactiveCache.Cli.Commands.Simulate;
using ReactiveCache.Cli.Commands.Trace;

namespace ReactiveCache.Cli;

/// <summary>Composes <c>reactive-cache</c> from its commands (each lives in its own folder).</summary>
public static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("reactive-cache: configure, trace, simulate, replay, report and bench ReactiveCache.");
        root.Subcommands.Add(ConfigureCommand.Create());
        root.Subcommands.Add(TraceCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }
}
