using System.CommandLine;
using ReactiveCache.Cli.Infrastructure;
using ReactiveCache.Domain.Traces.Logs;

namespace ReactiveCache.Cli.Commands.Trace;

/// <summary><c>trace from-log --input LOG [--rank r]</c>: a trace from an HTTP access log.</summary>
public static class TraceFromLogCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "Access log: Common/Combined Log Format or S3 server access log.", Required = true };
        var rank = new Option<int?>("--rank") { Description = "Keep only the r-th most requested key (1 = top); default: all keys." };
        var format = new Option<string>("--format") { Description = "auto | clf | s3", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong("auto", "clf", "s3");
        var output = new Option<string?>("--output") { Description = "Trace file to write (default: stdout)." };
        var command = new Command("from-log", "Derive a trace (GETs only, offsets from the first) from an access log.") { input, rank, format, output };
        command.SetAction((parseResult, _) => CommandRunner.Run(parseResult, writer =>
        {
            string path = parseResult.GetValue(input)!;
            if (!File.Exists(path))
            {
                throw new CliError($"log file '{path}' does not exist.");
            }

            int? r = parseResult.GetValue(rank);
            if (r is <= 0)
            {
                throw new CliError("--rank must be 1 or more.");
            }

            var kind = parseResult.GetValue(format) switch
            {
                "clf" => AccessLogKind.CommonOrCombined,
                "s3" => AccessLogKind.S3ServerAccess,
                _ => (AccessLogKind?)null,
            };
            using var reader = new StreamReader(path);
            var trace = AccessLogConverter.ToTrace(reader, Path.GetFileNameWithoutExtension(path), kind, r);
            return TraceGenerateCommand.Emit(trace, parseResult.GetValue(output), writer);
        }));
        return command;
    }
}
