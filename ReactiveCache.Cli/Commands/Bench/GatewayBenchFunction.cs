using ReactiveCache.Domain;
using Spectre.Console;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// The Lambda path of <c>bench gateway</c>: the emulator and one function (AOT or JIT) invoked with every
/// object, serving them through its tunnel into the bench's gateway (<see cref="FunctionRig"/>).
/// </summary>
internal sealed class GatewayBenchFunction : IAsyncDisposable
{
    private const string Function = "bench";

    /// <summary>The function's TICK: each served GET extends its life by one, so it outlives the pauses between its runs.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(300);

    private readonly FunctionRig _rig;
    private readonly InProcessGateway _gateway;
    private readonly IReadOnlyList<string> _keys;
    private readonly string _root;

    private GatewayBenchFunction(FunctionRig rig, InProcessGateway gateway, IReadOnlyList<string> keys, string root)
    {
        _rig = rig;
        _gateway = gateway;
        _keys = keys;
        _root = root;
    }

    /// <summary>CPU time the function's process has used so far.</summary>
    public TimeSpan CpuTime => _rig.FunctionCpuTime;

    public static async Task<GatewayBenchFunction> StartAsync(LambdaSetup lambda, string root, InProcessGateway gateway, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLine($"[grey]starting the Lambda emulator and the function ({Markup.Escape(lambda.Describe)}, TICK {Tick.TotalSeconds:F0} s), tunnelling into the gateway…[/]");
        var settings = new Dictionary<string, string>
        {
            ["Emulator__MaxConcurrency"] = "2",
            [$"Emulator__Functions__{Function}__Command"] = lambda.IsJit ? "dotnet" : lambda.Bootstrap,
            [$"Emulator__Functions__{Function}__Timeout"] = "00:15:00",
        };
        if (lambda.IsJit)
        {
            settings[$"Emulator__Functions__{Function}__Args__0"] = lambda.Bootstrap;
        }

        var rig = await FunctionRig.StartAsync(lambda.Layout, root, gateway, settings, cancellationToken);
        try
        {
            // Activation is measured on the Lambda route: S3 answers until the function has tunnelled in.
            gateway.Route(keys, CacheLayer.Lambda);
            var activation = await rig.ActivateAsync(Function, rig.Payload(keys, Tick), expectCold: true, cancellationToken);
            AnsiConsole.MarkupLine($"[grey]function serving through its tunnel {activation:F0} ms after the invoke[/]");
            return new GatewayBenchFunction(rig, gateway, keys, root);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException)
        {
            var output = rig.Output;
            await rig.DisposeAsync();
            throw new InvalidOperationException($"The function did not come to serve through its tunnel: {e.Message}\n{output}", e);
        }
    }

    /// <summary>
    /// Routes the keys to the Lambda layer and checks that the gateway serves every one from the function
    /// (<c>Content-Origin: lambda</c>, whole bodies); once, re-invokes the function when it no longer does (its
    /// life or its 15-minute timeout ended).
    /// </summary>
    public async Task EnsureServingAsync(LoadGenerator load, CancellationToken cancellationToken)
    {
        _gateway.Route(_keys, CacheLayer.Lambda);
        for (var attempt = 0; ; attempt++)
        {
            var notLambda = new List<string>();
            foreach (var key in _keys)
            {
                var origin = await load.ProbeAsync(new Uri(_gateway.BaseAddress, $"objects/{key}"), new FileInfo(Path.Combine(_root, key)).Length, cancellationToken);
                if (origin != CacheLayer.Lambda.ToName())
                {
                    notLambda.Add($"{key} from '{origin}'");
                }
            }

            if (notLambda.Count == 0)
            {
                return;
            }

            if (attempt > 0)
            {
                throw new InvalidOperationException($"The gateway served {string.Join(", ", notLambda)}, not through the function.\n{_rig.Output}");
            }

            AnsiConsole.MarkupLine("[grey]the function no longer serves; invoking it again…[/]");
            await _rig.ActivateAsync(Function, _rig.Payload(_keys, Tick), expectCold: null, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => _rig.DisposeAsync();
}
