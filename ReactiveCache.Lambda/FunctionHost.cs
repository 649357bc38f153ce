using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Objects;
using ReactiveCache.Lambda.Control;
using ReactiveCache.Lambda.Invocations;
using ReactiveCache.Lambda.Runtime;
using ReactiveCache.Lambda.Serving;
using ReactiveCache.Lambda.Tunnel;

namespace ReactiveCache.Lambda;

/// <summary>
/// The execution environment's process: a slim Kestrel app whose only listener is the tunnel to the
/// gateway, started once (init), then the runtime loop. Everything here outlives one invocation.
/// </summary>
public static class FunctionHost
{
    public static async Task<int> RunAsync(string runtimeApi, string[] args)
    {
        using var runtimeHttp = RuntimeApiClient.CreateHttpClient(runtimeApi);
        var runtime = new RuntimeApiClient(runtimeHttp);

        WebApplication app;
        try
        {
            app = Build(args);
            await app.StartAsync();
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"The function could not start: {e.Message}");
            try
            {
                await runtime.InitErrorAsync(e, CancellationToken.None);
            }
            catch (HttpRequestException posting)
            {
                await Console.Error.WriteLineAsync($"Could not report the init error to the Runtime API: {posting.Message}");
            }

            return 1;
        }

        var loop = new RuntimeLoop(runtime, app.Services.GetRequiredService<InvocationHandler>(),
            app.Services.GetRequiredService<TimeProvider>(), app.Services.GetRequiredService<ILogger<RuntimeLoop>>());
        var exitCode = await loop.RunAsync(app.Lifetime.ApplicationStopping);
        await app.StopAsync(TimeSpan.FromSeconds(5));
        await app.DisposeAsync();
        return exitCode;
    }

    private static WebApplication Build(string[] args)
    {
        // No configuration file is watched for changes: an environment's configuration is fixed for its life
        // (Lambda's environment variables), and the watcher costs the cold start a file-system watch.
        var builder = WebApplication.CreateSlimBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        // The emulator (or CloudWatch) gets every line: keep them to what the function does.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Hosting makes a per-request Activity whenever its logger is on at any level, for log scopes; the
        // function logs no request lines and its span ("tunnelled GET") has its own parent, so none is made.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);

        builder.AddFunctionTelemetry();
        builder.Services.AddOptions<FunctionOptions>()
            .BindConfiguration(FunctionOptions.SectionName)
            .Validate(o => o.MaxTunnelConnections is > 0 and <= 1024, "Function:MaxTunnelConnections must be within 1..1024.")
            .Validate(o => o.DrainTimeout >= TimeSpan.Zero, "Function:DrainTimeout cannot be negative.")
            .Validate(o => o.DeadlineMargin >= TimeSpan.Zero, "Function:DeadlineMargin cannot be negative.")
            .ValidateOnStart();

        builder.Services.AddSingleton(CreateObjectStore(builder.Configuration));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient();
        builder.Services.AddSingleton<ObjectCatalog>();
        builder.Services.AddSingleton<TunnelDialer>();
        builder.Services.AddSingleton<ControlStreamClient>();
        builder.Services.AddSingleton<InvocationHandler>();

        // Kestrel's only "listener" dials out to the gateway (the tunnel); nothing listens locally.
        builder.Services.AddSingleton<IConnectionListenerFactory, TunnelConnectionListenerFactory>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // HTTP/1.1 (the gateway's client asks for exactly 1.1): one request at a time per tunnel connection,
            // the body read straight off the connection (measured against HTTP/2: docs/gateway.md, "Tunnel transport").
            kestrel.Listen(new TunnelEndPoint(), listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.AddServerHeader = false;
            // An idle tunnel connection is not a dead one: the gateway pools them.
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(15);
        });

        var app = builder.Build();
        app.MapObjectServing();
        return app;
    }

    /// <summary>
    /// The store of record from the <c>ObjectStore</c> section (bound by the configuration source
    /// generator), checked by the same validator as <c>AddObjectStore()</c>.
    /// </summary>
    private static IObjectStore CreateObjectStore(IConfiguration configuration)
    {
        var options = configuration.GetSection(ObjectStoreOptions.SectionName).Get<ObjectStoreOptions>() ?? new ObjectStoreOptions();
        var validation = new ObjectStoreOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(ObjectStoreOptions.SectionName, typeof(ObjectStoreOptions), validation.Failures);
        }

        return options.Kind == ObjectStoreKind.S3
            ? new S3ObjectStore(ObjectStoreRegistration.CreateS3Client(options), Options.Create(options))
            : new FolderObjectStore(options.Root!);
    }
}
