using System.Buffers.Binary;
using System.Text;
using ReactiveCache.Core.Objects;
using StackExchange.Redis;

namespace ReactiveCache.Core.Caching;

/// <summary>
/// How an object is laid out on the cache node, shared by the writer (the orchestrator loads objects) and
/// the reader (the gateway's Redis layer): ONE string value per object, a small binary header (metadata)
/// followed by the body. One SET stores it atomically; one GETRANGE reads header and body together (a plain
/// GET of a small object is one command, one round trip); a range of the body is a GETRANGE at an offset.
/// </summary>
/// <remarks>
/// Header, big-endian: <c>"RC"</c>, version (1), reserved (0), header length (u16), body length (i64),
/// last modified (Unix ms, i64), ETag (u16 length + UTF-8), content type (u16 length + UTF-8). The header
/// is never longer than <see cref="MaxHeaderBytes"/>, so reading that many bytes always gets all of it.
/// </remarks>
public static class CacheEntryLayout
{
    public const int MaxHeaderBytes = 512;
    private const byte Version = 1;
    private const int FixedBytes = 22;

    private const string EntryPrefix = "rc:obj:";

    /// <summary>A SCAN/KEYS pattern that matches every entry of this layout.</summary>
    public const string EntryKeyPattern = EntryPrefix + "*";

    public static RedisKey EntryKey(string key) => EntryPrefix + key;

    /// <summary>The object key of an entry key (null when it is not one of ours).</summary>
    public static string? KeyOf(RedisKey entryKey)
    {
        var name = (string?)entryKey;
        return name is not null && name.StartsWith(EntryPrefix, StringComparison.Ordinal) ? name[EntryPrefix.Length..] : null;
    }

    /// <summary>Header and body as the node stores them.</summary>
    public static byte[] Encode(ObjectMetadata metadata, ReadOnlySpan<byte> body)
    {
        if (body.Length != metadata.Length)
        {
            throw new ArgumentException($"The body has {body.Length} bytes; the metadata says {metadata.Length}.", nameof(body));
        }

        var (entry, headerLength) = NewEntry(metadata);
        body.CopyTo(entry.AsSpan(headerLength));
        return entry;
    }

    /// <summary>Stores an object (one SET: header and body together, without expiry).</summary>
    public static async Task StoreAsync(IDatabaseAsync database, ObjectMetadata metadata, ReadOnlyMemory<byte> body) =>
        await SetAsync(database, metadata, Encode(metadata, body.Span));

    /// <summary>
    /// Stores an object whose body is read from <paramref name="body"/> straight into the entry behind its
    /// header (one copy); the stream must hold exactly <see cref="ObjectMetadata.Length"/> bytes.
    /// </summary>
    public static async Task StoreAsync(IDatabaseAsync database, ObjectMetadata metadata, Stream body, CancellationToken cancellationToken)
    {
        var (entry, headerLength) = NewEntry(metadata);
        try
        {
            await body.ReadExactlyAsync(entry.AsMemory(headerLength), cancellationToken);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"The body of '{metadata.Key}' is shorter than the {metadata.Length} bytes its metadata says.");
        }

        if (await body.ReadAsync(new byte[1], cancellationToken) != 0)
        {
            throw new InvalidDataException($"The body of '{metadata.Key}' is longer than the {metadata.Length} bytes its metadata says.");
        }

        await SetAsync(database, metadata, entry);
    }

    private static async Task SetAsync(IDatabaseAsync database, ObjectMetadata metadata, byte[] entry)
    {
        if (!await database.StringSetAsync(EntryKey(metadata.Key), entry))
        {
            throw new InvalidOperationException($"The cache node did not store '{metadata.Key}'.");
        }
    }

    /// <summary>An entry of the right size with its header written; the body goes from <c>headerLength</c> on.</summary>
    private static (byte[] Entry, int HeaderLength) NewEntry(ObjectMetadata metadata)
    {
        var etag = Encoding.UTF8.GetBytes(metadata.ETag);
        var contentType = Encoding.UTF8.GetBytes(metadata.ContentType);
        var headerLength = FixedBytes + 2 + etag.Length + 2 + contentType.Length;
        if (headerLength > MaxHeaderBytes)
        {
            throw new ArgumentException($"The ETag and content type of '{metadata.Key}' are too long for a cache entry header.", nameof(metadata));
        }

        var entry = new byte[headerLength + checked((int)metadata.Length)];
        var span = entry.AsSpan();
        span[0] = (byte)'R';
        span[1] = (byte)'C';
        span[2] = Version;
        span[3] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)headerLength);
        BinaryPrimitives.WriteInt64BigEndian(span[6..], metadata.Length);
        BinaryPrimitives.WriteInt64BigEndian(span[14..], metadata.LastModified.ToUnixTimeMilliseconds());
        var at = FixedBytes;
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)etag.Length);
        etag.CopyTo(span[(at + 2)..]);
        at += 2 + etag.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)contentType.Length);
        contentType.CopyTo(span[(at + 2)..]);
        return (entry, headerLength);
    }

    /// <summary>Removes an object from the node.</summary>
    public static Task<bool> RemoveAsync(IDatabaseAsync database, string key) => database.KeyDeleteAsync(EntryKey(key));

    /// <summary>
    /// Reads the header at the start of <paramref name="data"/> (the first bytes of an entry). <c>false</c> when
    /// there is no entry (empty data) or the bytes are not a whole header of this layout.
    /// </summary>
    public static bool TryReadHeader(string key, ReadOnlySpan<byte> data, out ObjectMetadata metadata, out int headerLength)
    {
        metadata = null!;
        headerLength = 0;
        if (data.Length < FixedBytes + 4 || data[0] != (byte)'R' || data[1] != (byte)'C' || data[2] != Version)
        {
            return false;
        }

        headerLength = BinaryPrimitives.ReadUInt16BigEndian(data[4..]);
        if (headerLength < FixedBytes + 4 || headerLength > MaxHeaderBytes || data.Length < headerLength)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt64BigEndian(data[6..]);
        var modified = BinaryPrimitives.ReadInt64BigEndian(data[14..]);
        var at = FixedBytes;
        var etagLength = BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
        if (at + 2 + etagLength + 2 > headerLength)
        {
            return false;
        }

        var etag = Encoding.UTF8.GetString(data.Slice(at + 2, etagLength));
        at += 2 + etagLength;
        var typeLength = BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
        if (at + 2 + typeLength != headerLength || length < 0)
        {
            return false;
        }

        var contentType = typeLength == 0 ? ContentTypes.ForKey(key) : Encoding.UTF8.GetString(data.Slice(at + 2, typeLength));
        metadata = new ObjectMetadata(key, length, etag, contentType, DateTimeOffset.FromUnixTimeMilliseconds(modified));
        return true;
    }
}
