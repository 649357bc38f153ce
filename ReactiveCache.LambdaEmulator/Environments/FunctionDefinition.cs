namespace ReactiveCache.LambdaEmulator.Environments;

/// <summary>One function the emulator can run: the process of an execution environment.</summary>
public sealed class FunctionDefinition
{
    /// <summary>The executable, e.g. <c>dotnet</c> (with <c>bootstrap.dll</c> in <see cref="Args"/>) or the AOT <c>bootstrap</c>.</summary>
    public string Command { get; set; } = "";

    public List<string> Args { get; set; } = [];

    /// <summary>Extra environment variables (the function's configuration, as in Lambda).</summary>
    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);

    public string? WorkingDirectory { get; set; }

    /// <summary>The function timeout (the thesis configured 4 minutes): the process is killed at it.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>Reported to the function as <c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c> (the thesis used 1024).</summary>
    public int MemoryMb { get; set; } = 1024;
}
