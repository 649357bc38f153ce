using Microsoft.AspNetCore.StaticFiles;

namespace ReactiveCache.Core.Objects;

/// <summary>Content type by file extension, the table ASP.NET Core's static files use.</summary>
public static class ContentTypes
{
    public const string Default = "application/octet-stream";

    private static readonly FileExtensionContentTypeProvider Provider = new();

    public static string ForKey(string key) =>
        Provider.TryGetContentType(key, out var type) ? type : Default;
}
