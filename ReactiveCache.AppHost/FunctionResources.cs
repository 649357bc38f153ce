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

    /// <summary>The orchestrator's endpoint for the gRPC links of gateways and functions (the control API has its own, <c>http</c>).</summary>
    public const string LinksEndpointName = "links";

    /// <summary>
    /// A second, HTTP/2-only endpoint on the orchestrator for the gRPC links of gateways and functions (gRPC over
    /// cleartext needs prior-knowledge HTTP/2, which Kestrel does not offer on an Http1AndHttp2 endpoint). Both
    /// endpoints go to Kestrel's configuration, which then replaces ASPNETCORE_URLS; the control API answers only on
    /// <c>http</c> (<c>ControlApi:Port</c>) and the links only on this one, so what functions must reach does not
    /// expose the operator's API.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithLinksEndpoint(this IResourceBuilder<ProjectResource> orchestrator)
    {
        orchestrator.WithHttpEndpoint(name: LinksEndpointName);
        var http = orchestrator.GetEndpoint("http");
        var links = orchestrator.GetEndpoint(LinksEndpointName);
        return orchestrator
            .WithEnvironment("Kestrel__Endpoints__http__Url", ReferenceExpression.Create($"http://localhost:{http.Property(EndpointProperty.TargetPort)}"))
            .WithEnvironment("Kestrel__Endpoints__links__Url", ReferenceExpression.Create($"http://localhost:{links.Property(EndpointProperty.TargetPort)}"))
            .WithEnvironment("Kestrel__Endpoints__links__Protocols", "Http2")
            .WithEnvironment("ControlApi__Port", ReferenceExpression.Create($"{http.Property(EndpointProperty.TargetPort)}"))
            .WithEnvironment("Function__OrchestratorUrl", links);
    }

    /// <summary>The control API's key (the operator's): every endpoint but the health probes needs it.</summary>
    public static IResourceBuilder<ProjectResource> WithControlApiKey(this IResourceBuilder<ProjectResource> orchestrator, IResourceBuilder<ParameterResource> key) =>
        orchestrator.WithEnvironment("ControlApi__Key", key);
}
