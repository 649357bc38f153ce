using Microsoft.Extensions.Configuration;
using ReactiveCache.Core.Caching;

namespace ReactiveCache.AppHost;

internal static class ResourceBuilderExtensions
{
    /// <summary>Points a service at the local folder-backed object store.</summary>
    public static IResourceBuilder<T> WithObjectStore<T>(this IResourceBuilder<T> resource, string root)
        where T : IResourceWithEnvironment =>
        resource.WithEnvironment("ObjectStore__Kind", "Folder")
            .WithEnvironment("ObjectStore__Root", root);

    /// <summary>
    /// The orchestrator's cache node: a local Garnet process with an EC2-like boot delay, where nobody works
    /// without signing in: the orchestrator starts it with the gateways' read-only user and its own loader's
    /// user (<see cref="CacheNodeUsers"/>) and signs in as the loader.
    /// It ends with this AppHost (owner process), but outlives an orchestrator restart.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithLocalCacheNode(
        this IResourceBuilder<ProjectResource> orchestrator,
        IResourceBuilder<ParameterResource> writerPassword,
        IResourceBuilder<ParameterResource> readerPassword,
        string bootDelay,
        string? stateDirectory = null) =>
        orchestrator.WithEnvironment("CacheNode__Kind", "Local")
            .WithEnvironment("CacheNode__User", CacheNodeUsers.Writer)
            .WithEnvironment("CacheNode__Password", writerPassword)
            .WithEnvironment("CacheNode__ReaderUser", CacheNodeUsers.Reader)
            .WithEnvironment("CacheNode__ReaderPassword", readerPassword)
            .WithEnvironment("CacheNode__BootDelay", bootDelay)
            .WithEnvironment("CacheNode__OwnerProcessId", Environment.ProcessId.ToString())
            // One state file per AppHost (CacheNode:StateDirectory, else one of its own), not per process: AppHosts built
            // in one process (the tests run several at once) adopted each other's node, whose passwords they do not have.
            .WithEnvironment("CacheNode__StateDirectory", stateDirectory
                ?? Path.Combine(Path.GetTempPath(), "reactive-cache", $"apphost-{Environment.ProcessId}-{Guid.NewGuid():N}"));

    /// <summary>
    /// A gateway: the object store, the gRPC link to the orchestrator's HTTP/2 links endpoint and its secret, the
    /// cache node's read-only user and its password, the tunnel secret and the tunnel URL its functions' tokens must be addressed to.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithGatewaySettings(
        this IResourceBuilder<ProjectResource> gateway,
        string objectsRoot,
        IResourceBuilder<ProjectResource> orchestrator,
        IResourceBuilder<ParameterResource> cacheNodeReaderPassword,
        IResourceBuilder<ParameterResource> tunnelSecret,
        IResourceBuilder<ParameterResource> linkSecret) =>
        gateway.WithObjectStore(objectsRoot)
            .WithReference(orchestrator)
            .WithEnvironment("OrchestratorLink__Address", orchestrator.GetEndpoint(FunctionResources.LinksEndpointName))
            .WithEnvironment("OrchestratorLink__GatewayId", gateway.Resource.Name)
            .WithEnvironment("OrchestratorLink__Secret", linkSecret)
            .WithEnvironment("CacheNode__User", CacheNodeUsers.Reader)
            .WithEnvironment("CacheNode__Password", cacheNodeReaderPassword)
            .WithEnvironment("Tunnel__Secret", tunnelSecret)
            .WaitFor(orchestrator)
            .WithHttpHealthCheck("/health");

    /// <summary>
    /// The gateway's tunnel port: functions dial <c>/tunnel/connect</c> there, and after the 101 the gateway
    /// forwards straight over the accepted socket (<c>Tunnel:ListenPort</c>, the port the gateway binds).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTunnelEndpoint(this IResourceBuilder<ProjectResource> gateway) =>
        gateway.WithHttpEndpoint(name: TunnelEndpointName)
            .WithUrlForEndpoint(TunnelEndpointName, url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly)
            .WithEnvironment("Tunnel__ListenPort",
                ReferenceExpression.Create($"{gateway.GetEndpoint(TunnelEndpointName).Property(EndpointProperty.TargetPort)}"))
            .WithEnvironment("Tunnel__Urls__0", gateway.TunnelUrl());

    /// <summary>What functions dial to tunnel into <paramref name="gateway"/>.</summary>
    public static ReferenceExpression TunnelUrl(this IResourceBuilder<ProjectResource> gateway) =>
        ReferenceExpression.Create($"{gateway.GetEndpoint(TunnelEndpointName)}{ReactiveCache.Core.Tunnel.TunnelProtocol.ConnectPath}");

    private const string TunnelEndpointName = "tunnel";

    /// <summary>
    /// The orchestrator's policy: every <c>Policy:*</c> setting of the AppHost's configuration is passed on
    /// (e.g. <c>dotnet run --project ReactiveCache.AppHost -- Policy:Kind=Thesis</c>); the orchestrator's
    /// own defaults (the default policy, sensitivity 4) apply otherwise.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPolicy(
        this IResourceBuilder<ProjectResource> orchestrator, IConfiguration configuration)
    {
        foreach (var (key, value) in configuration.GetSection("Policy").AsEnumerable(makePathsRelative: true))
        {
            if (value is not null)
            {
                orchestrator.WithEnvironment($"Policy__{key.Replace(":", "__", StringComparison.Ordinal)}", value);
            }
        }

        return orchestrator;
    }
}
