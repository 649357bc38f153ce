namespace ReactiveCache.AppHost;

/// <summary>How the local topology runs the function (in the Lambda emulator) and reaches it.</summary>
internal static class FunctionResources
{
    public const string FunctionName = "reactive-cache-function";

    /// <summary>
    /// Registers the function with the emulator: the Native AOT <c>bootstrap</c> when published to
    /// artifacts/lambda-aot and <c>Function:Aot</c> is true, else the JIT build (<c>dotnet bootstrap.dll</c>).
    /// Its processes inherit the emulator's environment (object store settings).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithLambdaFunction(this IResourceBuilder<ProjectResource> emulator, IDistributedApplicationBuilder builder)
    {
        var root = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var aot = Path.Combine(root, "artifacts", "lambda-aot", "bootstrap");
        var prefix = $"Emulator__Functions__{FunctionName}";
        if (string.Equals(builder.Configuration["Function:Aot"], "true", StringComparison.OrdinalIgnoreCase) && File.Exists(aot))
        {
            return emulator.WithEnvironment($"{prefix}__Command", aot);
        }

        var jit = new[] { "Debug", "Release" }
            .Select(c => Path.Combine(root, "ReactiveCache.Lambda", "bin", c, "net10.0", "bootstrap.dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault() ?? Path.Combine(root, "ReactiveCache.Lambda", "bin", "Debug", "net10.0", "bootstrap.dll");
        return emulator.WithEnvironment($"{prefix}__Command", "dotnet").WithEnvironment($"{prefix}__Args__0", jit);
    }

    /// <summary>
    /// A second, HTTP/2-only endpoint on the orchestrator for the functions' gRPC control streams (gRPC over
    /// cleartext needs prior-knowledge HTTP/2, which Kestrel does not offer on an Http1AndHttp2 endpoint).
    /// Both endpoints go to Kestrel's configuration, which then replaces ASPNETCORE_URLS.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithControlEndpoint(this IResourceBuilder<ProjectResource> orchestrator)
    {
        orchestrator.WithHttpEndpoint(name: "control");
        var http = orchestrator.GetEndpoint("http");
        var control = orchestrator.GetEndpoint("control");
        return orchestrator
            .WithEnvironment("Kestrel__Endpoints__http__Url", ReferenceExpression.Create($"http://localhost:{http.Property(EndpointProperty.TargetPort)}"))
            .WithEnvironment("Kestrel__Endpoints__control__Url", ReferenceExpression.Create($"http://localhost:{control.Property(EndpointProperty.TargetPort)}"))
            .WithEnvironment("Kestrel__Endpoints__control__Protocols", "Http2")
            .WithEnvironment("Function__OrchestratorUrl", control);
    }

    /// <summary>
    /// How the orchestrator invokes the function. By default through the emulator's plain Invoke client; with
    /// <c>Function:Invoker=Aws</c> through its AWS invoker (SigV4-signed, the code path it runs on AWS), with a key
    /// pair generated here that the emulator then requires on every Invoke, as Lambda would.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithFunctionInvoker(this IResourceBuilder<ProjectResource> orchestrator,
        IResourceBuilder<ProjectResource> emulator, IDistributedApplicationBuilder builder)
    {
        orchestrator.WithReference(emulator).WithEnvironment("Function__Name", FunctionName);
        if (!string.Equals(builder.Configuration["Function:Invoker"], "Aws", StringComparison.OrdinalIgnoreCase))
        {
            return orchestrator;
        }

        var accessKeyId = builder.AddParameter("lambda-access-key-id",
            new GenerateParameterDefault { MinLength = 20, Lower = false, Special = false }, secret: true);
        var secretAccessKey = builder.AddParameter("lambda-secret-access-key",
            new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true);
        emulator
            .WithEnvironment("Emulator__AccessKeyId", accessKeyId)
            .WithEnvironment("Emulator__SecretAccessKey", secretAccessKey);
        return orchestrator
            .WithEnvironment("Function__Invoker", "Aws")
            .WithEnvironment("Function__Region", "us-east-1")
            .WithEnvironment("Function__Endpoint", emulator.GetEndpoint("http"))
            // The AWS SDK's default credential chain reads these (on AWS the instance role takes their place).
            .WithEnvironment("AWS_ACCESS_KEY_ID", accessKeyId)
            .WithEnvironment("AWS_SECRET_ACCESS_KEY", secretAccessKey);
    }
}
