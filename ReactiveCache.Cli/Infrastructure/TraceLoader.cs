using ReactiveCache.Domain.Traces;

namespace ReactiveCache.Cli.Infrastructure;

public static class TraceLoader
{
    public static Trace Load(string path, string? defaultKey = null)
    {
        if (!File.Exists(path))
        {
            throw new CliError($"trace file '{path}' does not exist.");
        }

        return TraceFormat.Load(path, defaultKey ?? TraceFormat.DefaultKey);
    }
}
