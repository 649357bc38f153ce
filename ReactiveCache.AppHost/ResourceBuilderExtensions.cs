namespace ReactiveCache.AppHost;

internal static class ResourceBuilderExtensions
{
    /// <summary>Points a service at the local folder-backed object store.</summary>
    public static IResourceBuilder<T> WithObjectStore<T>(this IResourceBuilder<T> resource, string root)
        where T : IResourceWithEnvironment =>
        resource.WithEnvironment("ObjectStore__Kind", "Folder")
            .WithEnvironment("ObjectStore__Root", root);

    /// <summary>
    /// The orchestrator's cache node: a local Garnet process with AUTH and an EC2-like boot delay.
    /// It ends with this AppHost (owner process), but outlives an orchestrator restart.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithLocalCacheNode(
        this IResourceBuilder<ProjectResource> orchestrator, IResourceBuilder<ParameterResource> password, string bootDelay) =>
        orchestrator.WithEnvironment("CacheNode__Kind", "Local")
            .WithEnvironment("CacheNode__Password", password)
            .WithEnvironment("CacheNode__BootDelay", bootDelay)
            .WithEnvironment("CacheNode__OwnerProcessId", Environment.ProcessId.ToString())
            .WithEnvironment("CacheNode__StateDirectory",
                Path.Combine(Path.GetTempPath(), "reactive-cache", $"apphost-{Environment.ProcessId}"));
}
