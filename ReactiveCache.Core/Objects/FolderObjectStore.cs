using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace ReactiveCache.Core.Objects;

/// <summary>
/// A folder as the store of record, for local runs: the same semantics as S3 (ETag = quoted MD5
/// of the content as S3 gives for single-part uploads, content type by extension, missing → null).
/// </summary>
public sealed class FolderObjectStore : IObjectStore
{
    private readonly string _root;
    private readonly ConcurrentDictionary<string, (long Length, DateTime Modified, string ETag)> _etags = new();

    public FolderObjectStore(IOptions<ObjectStoreOptions> options)
        : this(options.Value.Root ?? throw new InvalidOperationException("ObjectStore:Root is not set."))
    {
    }

    public FolderObjectStore(string root)
    {
        _root = Path.GetFullPath(root);
    }

    public async Task<ObjectMetadata?> GetMetadataAsync(string key, CancellationToken cancellationToken = default)
    {
        var file = Resolve(key);
        if (file is null || !file.Exists)
        {
            return null;
        }

        return new ObjectMetadata(key, file.Length, await ETagAsync(file, cancellationToken), ContentTypes.ForKey(key),
            new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
    }

    public async Task<StoredObject?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        var metadata = await GetMetadataAsync(key, cancellationToken);
        if (metadata is null)
        {
            return null;
        }

        Stream body;
        try
        {
            body = new FileStream(Path.Combine(_root, key), new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        if (range is { } r)
        {
            body.Seek(r.From, SeekOrigin.Begin);
            body = new SubStream(body, r.Length);
        }

        return new StoredObject(metadata, body, range);
    }

    private FileInfo? Resolve(string key)
    {
        var full = Path.GetFullPath(Path.Combine(_root, key));
        // A key never leaves the root, whatever the caller validated.
        return full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? new FileInfo(full) : null;
    }

    private async ValueTask<string> ETagAsync(FileInfo file, CancellationToken cancellationToken)
    {
        if (_etags.TryGetValue(file.FullName, out var cached)
            && cached.Length == file.Length && cached.Modified == file.LastWriteTimeUtc)
        {
            return cached.ETag;
        }

        await using var stream = file.OpenRead();
        var hash = await MD5.HashDataAsync(stream, cancellationToken);
        var etag = $"\"{Convert.ToHexStringLower(hash)}\"";
        _etags[file.FullName] = (file.Length, file.LastWriteTimeUtc, etag);
        return etag;
    }
}
