namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>Where the Lambda path's programs of <c>bench gateway</c> are: the emulator of a checkout and the function to run.</summary>
/// <param name="Bootstrap">The function: the Native AOT <c>bootstrap</c>, or a JIT <c>bootstrap.dll</c> run with dotnet.</param>
/// <param name="TunnelPort">The function dials the gateway's tunnel port (as deployed); false: its ordinary port.</param>
public sealed record LambdaSetup(RepoLayout Layout, string Bootstrap, bool TunnelPort)
{
    public bool IsJit => Bootstrap.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    public string Describe => (IsJit ? $"JIT: dotnet {Bootstrap}" : $"Native AOT: {Bootstrap}")
                              + (TunnelPort ? ", dialling the tunnel port" : ", dialling the gateway's ordinary port");

    /// <summary>
    /// Finds the programs: <paramref name="function"/> 'aot' (published into the checkout's artifacts when
    /// missing), 'jit', or a path to either. Checked before anything starts.
    /// </summary>
    /// <exception cref="InvalidOperationException">A program is missing, or the AOT publish failed.</exception>
    public static async Task<LambdaSetup> FindAsync(string? repo, string function, bool tunnelPort, CancellationToken cancellationToken)
    {
        var layout = RepoLayout.Find(repo);
        _ = layout.Dll("ReactiveCache.LambdaEmulator");
        if (function == "aot" && !File.Exists(layout.AotBootstrap) && !await layout.PublishAotAsync(cancellationToken))
        {
            throw new InvalidOperationException("Publishing the function with Native AOT failed (see above); --function jit runs the JIT build instead.");
        }

        var bootstrap = function switch
        {
            "aot" => layout.AotBootstrap,
            "jit" => layout.Dll("ReactiveCache.Lambda", "bootstrap"),
            _ => File.Exists(function) ? Path.GetFullPath(function) : throw new InvalidOperationException($"No function at {function}."),
        };
        return new LambdaSetup(layout, bootstrap, tunnelPort);
    }
}
