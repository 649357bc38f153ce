using System.CommandLine;

namespace ReactiveCache.Cli.Commands.Trace;

/// <summary><c>trace generate …</c> and <c>trace from-log</c>.</summary>
public static class TraceCommand
{
    public static Command Create()
    {
        var command = new Command("trace", "Create traces in the thesis's format.");
        command.Subcommands.Add(TraceGenerateCommand.Create());
        command.Subcommands.Add(TraceFromLogCommand.Create());
        return command;
    }
}
