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
        await using var stored = await GetAsync(key, cancellationToken: cancellationToken);
        return stored?.Metadata;
    }

    public async Task<StoredObject?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        var file = Resolve(key);
        if (file is null || Directory.Exists(file.FullName))
        {
            return null;
        }

        // The file is opened first and its metadata (length, time, ETag) taken from that open file, never from the
        // name again: a file replaced meanwhile (written beside and renamed over, as a store replaces an object) gives
        // either the old version whole or the new one whole, never the ETag of one and the bytes of the other.
        FileStream body;
        try
        {
            body = new FileStream(file.FullName, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }

        ObjectMetadata metadata;
        try
        {
            var handle = body.SafeFileHandle;
            var length = RandomAccess.GetLength(handle);
            var modified = File.GetLastWriteTimeUtc(handle);
            metadata = new ObjectMetadata(key, length, await ETagAsync(file.FullName, handle, length, modified, cancellationToken),
                ContentTypes.ForKey(key), new DateTimeOffset(modified, TimeSpan.Zero));
        }
        catch
        {
            await body.DisposeAsync();
            throw;
        }

        Stream content = body;
        if (range is { } r)
        {
            body.Seek(r.From, SeekOrigin.Begin);
            content = new SubStream(body, r.Length);
        }

        return new StoredObject(metadata, content, range);
    }

    /// <summary>
    /// Tells <paramref name="changed"/> of every object written, replaced, renamed or deleted under the root (what S3's
    /// event notifications tell of a bucket), until the result is disposed. Events may repeat; one per change is enough.
    /// When the watcher itself loses events (its buffer overflowed, or it failed), <paramref name="lost"/> is told: some
    /// change may have gone unreported, and which one is unknown.
    /// </summary>
    public IDisposable Watch(Action<ObjectChange> changed, Action<Exception>? lost = null)
    {
        ArgumentNullException.ThrowIfNull(changed);
        // A root that does not exist yet is an empty bucket: watch it from now on, as objects are written to it.
        Directory.CreateDirectory(_root);
        var watcher = new FileSystemWatcher(_root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        void Raise(string fullPath, bool removed)
        {
            var key = Path.GetRelativePath(_root, fullPath).Replace(Path.DirectorySeparatorChar, '/');
            if (ObjectKey.Validate(key) is null)
            {
                changed(new ObjectChange(key, removed));
            }
        }

        watcher.Created += (_, e) => Raise(e.FullPath, removed: false);
        watcher.Changed += (_, e) => Raise(e.FullPath, removed: false);
        watcher.Deleted += (_, e) => Raise(e.FullPath, removed: true);
        watcher.Renamed += (_, e) =>
        {
            Raise(e.OldFullPath, removed: true);
            Raise(e.FullPath, removed: false);
        };
        watcher.Error += (_, e) => lost?.Invoke(e.GetException());
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private FileInfo? Resolve(string key)
    {
        var full = Path.GetFullPath(Path.Combine(_root, key));
        // A key never leaves the root, whatever the caller validated.
        return full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? new FileInfo(full) : null;
    }

    /// <summary>The quoted MD5 of the open file (positional reads: the stream's position is untouched), cached by name, length and time.</summary>
    private async ValueTask<string> ETagAsync(string name, Microsoft.Win32.SafeHandles.SafeFileHandle handle, long length, DateTime modified,
        CancellationToken cancellationToken)
    {
        if (_etags.TryGetValue(name, out var cached) && cached.Length == length && cached.Modified == modified)
        {
            return cached.ETag;
        }

        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[81920];
        long at = 0;
        int read;
        while ((read = await RandomAccess.ReadAsync(handle, buffer, at, cancellationToken)) > 0)
        {
            md5.AppendData(buffer, 0, read);
            at += read;
        }

        var etag = $"\"{Convert.ToHexStringLower(md5.GetHashAndReset())}\"";
        _etags[name] = (length, modified, etag);
        return etag;
    }
}
