using ReactiveCache.Core.Aws;
using ReactiveCache.IntegrationTests.Infrastructure;

namespace ReactiveCache.IntegrationTests.Lambda;

/// <summary>The solution's built programs (the test command builds the solution before testing).</summary>
public static class BuiltApps
{
    /// <summary>Debug or Release: whatever this test assembly was built as.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string Dll(string project, string? assembly = null)
    {
        var path = Path.Combine(RepoPaths.Root, project, "bin", Configuration, "net10.0", (assembly ?? project) + ".dll");
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} is not built: build the solution first (./test.sh does).");
    }

    public static string Gateway => Dll("ReactiveCache.Gateway");

    public static string Emulator => Dll("ReactiveCache.LambdaEmulator");

    /// <summary>The function, JIT (<c>dotnet bootstrap.dll</c>).</summary>
    public static string FunctionJit => Dll("ReactiveCache.Lambda", "bootstrap");

    /// <summary>A key pair for an emulator to check Invoke signatures with (as the AppHost generates one).</summary>
    public static SigV4Credentials NewEmulatorCredentials() =>
        new("TESTEMULATORKEY", Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)));

    /// <summary>
    /// The environment of an emulator whose functions read the folder store at <paramref name="objectsRoot"/> and
    /// whose Invoke calls must be signed with <paramref name="credentials"/> (function processes inherit it).
    /// </summary>
    public static Dictionary<string, string> EmulatorEnvironment(string objectsRoot, SigV4Credentials credentials) => new()
    {
        ["ObjectStore__Kind"] = "Folder",
        ["ObjectStore__Root"] = objectsRoot,
        ["OTEL_SDK_DISABLED"] = "true",
        ["Emulator__AccessKey"] = credentials.AccessKey,
        ["Emulator__SecretKey"] = credentials.SecretKey,
    };

    /// <summary>Defines an emulator function in <paramref name="environment"/> (<c>Emulator:Functions:{name}</c>).</summary>
    public static void AddEmulatorFunction(IDictionary<string, string> environment, string name, string command, TimeSpan timeout, params string[] args)
    {
        environment[$"Emulator__Functions__{name}__Command"] = command;
        for (var i = 0; i < args.Length; i++)
        {
            environment[$"Emulator__Functions__{name}__Args__{i}"] = args[i];
        }

        environment[$"Emulator__Functions__{name}__Timeout"] = timeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The JIT function, as an emulator function (<see cref="AddEmulatorFunction"/>).</summary>
    public static void AddJitFunction(IDictionary<string, string> environment, string name, TimeSpan timeout, params string[] moreArgs) =>
        AddEmulatorFunction(environment, name, "dotnet", timeout, [FunctionJit, .. moreArgs]);

    /// <summary>Starts <c>dotnet {dll}</c> with environment variables (through <c>env</c>, so the pid is the app's).</summary>
    /// <param name="morePorts">More loopback ports it listens on (each is waited for).</param>
    public static Task<ServerProcess> StartAsync(string dll, int port, IReadOnlyDictionary<string, string> environment, params int[] morePorts) =>
        StartAsync(dll, port, environment, morePorts.Select(p => $"http://127.0.0.1:{p}"));

    /// <summary>
    /// As above, with further URLs of any scheme (an https one needs a certificate in <paramref name="environment"/>).
    /// Returns once every one of them accepts connections: Kestrel binds them one after another.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string dll, int port, IReadOnlyDictionary<string, string> environment, IEnumerable<string> moreUrls)
    {
        var urls = moreUrls.ToList();
        var server = await ServerProcess.StartAsync("env",
            [.. environment.Select(e => $"{e.Key}={e.Value}"), "dotnet", dll, "--urls", string.Join(';', urls.Prepend($"http://127.0.0.1:{port}"))],
            port, TimeSpan.FromSeconds(60));
        try
        {
            foreach (var url in urls)
            {
                await FreePort.WaitUntilListeningAsync(new Uri(url).Port, TimeSpan.FromSeconds(30), () => server.Output);
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }
}
