using System.CommandLine;
using ReactiveCache.Cli;

namespace ReactiveCache.Testing;

/// <summary>Runs <c>reactive-cache</c> in process with its output captured.</summary>
public static class CliRun
{
    public static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await CliApp.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
