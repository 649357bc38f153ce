namespace ReactiveCache.AppHost;

internal static class ResourceBuilderExtensions
{
    /// <summary>Points a service at the local folder-backed object store.</summary>
    public static IResourceBuilder<T> WithObjectStore<T>(this IResourceBuilder<T> resource, string root)
        where T : IResourceWithEnvironment =>
        resource.WithEnvironment("ObjectStore__Kind", "Folder")
            .WithEnvironment("ObjectStore__Root", root);
}
