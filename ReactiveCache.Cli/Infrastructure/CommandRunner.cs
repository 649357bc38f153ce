using System.CommandLine;
using ReactiveCache.Domain.Traces;

namespace ReactiveCache.Cli.Infrastructure;

/// <summary>Runs a command body, turning expected failures into a clear message and exit code 1.</summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(ParseResult parseResult, Func<TextWriter, Task<int>> body)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        try
        {
            return await body(output);
        }
        catch (Exception ex) when (ex is CliError or TraceFormatException or IOException
            or ArgumentException or InvalidDataException or System.Text.Json.JsonException or HttpRequestException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }

    public static Task<int> Run(ParseResult parseResult, Func<TextWriter, int> body) =>
        RunAsync(parseResult, output => Task.FromResult(body(output)));
}
