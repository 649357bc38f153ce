using ReactiveCache.Core.Caching;

namespace ReactiveCache.CacheNode;

/// <summary>
/// The node's ACL file: the default user switched off (no connection is let in without signing in), the gateways'
/// read-only user and the loader's user with the rules of <see cref="CacheNodeUsers"/>. The passwords come from the
/// environment; the file is written into a directory of its own that only this user can enter, readable by this
/// user only, and deleted as soon as Garnet has read it.
/// </summary>
internal sealed record NodeAccessFile(string ReaderUser, string ReaderPassword, string WriterUser, string WriterPassword)
{
    /// <summary>The users the environment names; null when one is missing or cannot be written into a rule.</summary>
    public static NodeAccessFile? FromEnvironment()
    {
        var access = new NodeAccessFile(
            Environment.GetEnvironmentVariable("CACHENODE_READER_USER") ?? "",
            Environment.GetEnvironmentVariable("CACHENODE_READER_PASSWORD") ?? "",
            Environment.GetEnvironmentVariable("CACHENODE_WRITER_USER") ?? "",
            Environment.GetEnvironmentVariable("CACHENODE_WRITER_PASSWORD") ?? "");
        return CacheNodeUsers.IsPlainToken(access.ReaderUser) && CacheNodeUsers.IsPlainToken(access.ReaderPassword)
               && CacheNodeUsers.IsPlainToken(access.WriterUser) && CacheNodeUsers.IsPlainToken(access.WriterPassword)
               && access.ReaderUser != access.WriterUser && access.ReaderUser != "default" && access.WriterUser != "default"
            ? access
            : null;
    }

    /// <summary>The rule lines, the default user first.</summary>
    public IEnumerable<string> Lines() =>
    [
        "user default off resetpass -@all",
        CacheNodeUsers.Rule(ReaderUser, ReaderPassword, CacheNodeUsers.ReaderRules),
        CacheNodeUsers.Rule(WriterUser, WriterPassword, CacheNodeUsers.WriterRules),
    ];

    /// <summary>Writes the file; disposing the result deletes it and its directory.</summary>
    public Written Write()
    {
        // CreateTempSubdirectory makes the directory 0700 on Unix; the file is created 0600 before anything is written.
        var directory = Directory.CreateTempSubdirectory("reactive-cache-node-acl-");
        var path = System.IO.Path.Combine(directory.FullName, "users.acl");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            foreach (var line in Lines())
            {
                writer.WriteLine(line);
            }
        }

        return new Written(path);
    }

    public sealed class Written(string path) : IDisposable
    {
        public string Path { get; } = path;

        public void Dispose() => Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
    }
}
