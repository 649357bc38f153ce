using System.Buffers.Binary;
using System.Text;
using ReactiveCache.Core.Objects;
using StackExchange.Redis;

namespace ReactiveCache.Core.Caching;

/// <summary>
/// How an object is laid out on the cache node, shared by the writer (the orchestrator loads objects) and the reader
/// (the gateway's Redis layer): ONE hash per object, its body cut into fields of at most <see cref="EntryShape.ChunkBytes"/>
/// bytes. Field <c>"0"</c> holds a small binary header (metadata) followed by the first body bytes, so a plain GET of a
/// small object is one HGET; every further field holds the next chunk of the body and is named after the entry's write
/// id and the chunk's number (<see cref="EntryShape.ChunkField"/>). Every field is read into a pooled buffer
/// (<c>HGET</c> with a lease), so serving from the node leaves no garbage per chunk; a chunk read names the version it
/// belongs to, so a body is never sent with chunks of two versions: once the entry is replaced (a new write id) or removed,
/// the old version's chunks are gone and the read finds nothing. Field <c>"h"</c> holds the header alone, for requests
/// that may need no body. One transaction (DEL and HSET) stores an entry whole.
/// </summary>
/// <remarks>
/// Header, big-endian: <c>"RC"</c>, version (2), reserved (0), header length (u16), body length (i64), last modified
/// (Unix ms, i64), write id (8 bytes, random per store), chunk size (i32), ETag (u16 length + UTF-8), content type (u16
/// length + UTF-8). The header is never longer than <see cref="MaxHeaderBytes"/>. Fields are read into buffers rented
/// from the shared array pool, which keeps arrays of every size up to 1 GiB, so a 256 KiB field is a reused buffer, not
/// large-object-heap garbage. 256 KiB rather than 64 KiB: a 1 MB body is four reads instead of sixteen (measured in
/// docs/gateway.md, "Field size").
/// </remarks>
public static class CacheEntryLayout
{
    public const int MaxHeaderBytes = 512;

    /// <summary>The most bytes of one field (header and first body bytes, or one chunk) unless a test asks for less.</summary>
    public const int DefaultChunkBytes = 256 * 1024;

    /// <summary>The least chunk size: the first field must hold the longest header and body bytes besides.</summary>
    public const int MinChunkBytes = 2 * MaxHeaderBytes;

    private const byte Version = 2;
    private const int FieldsPerCommand = 16;
    private const int FixedBytes = 34;

    private const string EntryPrefix = "rc:obj:";

    /// <summary>The field holding the header and the first body bytes.</summary>
    public static readonly RedisValue FirstField = "0";

    /// <summary>
    /// The field holding the header alone (a copy of field <c>"0"</c>'s first bytes): what a request that may need no body
    /// (HEAD, a conditional GET, a range) or a check of the entry's version reads, instead of up to a chunk.
    /// </summary>
    public static readonly RedisValue HeaderField = "h";

    /// <summary>A SCAN/KEYS pattern that matches every entry of this layout.</summary>
    public const string EntryKeyPattern = EntryPrefix + "*";

    public static RedisKey EntryKey(string key) => EntryPrefix + key;

    /// <summary>The object key of an entry key (null when it is not one of ours).</summary>
    public static string? KeyOf(RedisKey entryKey)
    {
        var name = (string?)entryKey;
        return name is not null && name.StartsWith(EntryPrefix, StringComparison.Ordinal) ? name[EntryPrefix.Length..] : null;
    }

    /// <summary>The fields of an entry holding <paramref name="body"/>, as the node stores them.</summary>
    public static HashEntry[] Encode(ObjectMetadata metadata, ReadOnlySpan<byte> body, int chunkBytes = DefaultChunkBytes)
    {
        if (body.Length != metadata.Length)
        {
            throw new ArgumentException($"The body has {body.Length} bytes; the metadata says {metadata.Length}.", nameof(body));
        }

        var (fields, shape) = NewEntry(metadata, chunkBytes);
        for (int n = 0; n < fields.Length; n++)
        {
            var field = fields[n].AsSpan(shape.BodyOffsetInField(n));
            body.Slice((int)shape.ChunkStart(n), field.Length).CopyTo(field);
        }

        return ToEntries(fields, shape);
    }

    /// <summary>Stores an object (one transaction: the old entry removed, the new one's fields set; without expiry).</summary>
    public static Task StoreAsync(IDatabase database, ObjectMetadata metadata, ReadOnlyMemory<byte> body, int chunkBytes = DefaultChunkBytes) =>
        SetAsync(database, metadata, Encode(metadata, body.Span, chunkBytes));

    /// <summary>
    /// Stores an object whose body is read from <paramref name="body"/> straight into the entry's fields (one copy, no
    /// array of the whole body); the stream must hold exactly <see cref="ObjectMetadata.Length"/> bytes.
    /// </summary>
    public static async Task StoreAsync(IDatabase database, ObjectMetadata metadata, Stream body, CancellationToken cancellationToken,
        int chunkBytes = DefaultChunkBytes)
    {
        var (fields, shape) = NewEntry(metadata, chunkBytes);
        try
        {
            for (int n = 0; n < fields.Length; n++)
            {
                await body.ReadExactlyAsync(fields[n].AsMemory(shape.BodyOffsetInField(n)), cancellationToken);
            }
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"The body of '{metadata.Key}' is shorter than the {metadata.Length} bytes its metadata says.");
        }

        if (await body.ReadAsync(new byte[1], cancellationToken) != 0)
        {
            throw new InvalidDataException($"The body of '{metadata.Key}' is longer than the {metadata.Length} bytes its metadata says.");
        }

        await SetAsync(database, metadata, ToEntries(fields, shape));
    }

    private static async Task SetAsync(IDatabase database, ObjectMetadata metadata, HashEntry[] entries)
    {
        var key = EntryKey(metadata.Key);
        var transaction = database.CreateTransaction();
        _ = transaction.KeyDeleteAsync(key);
        // Several HSETs of a few fields each, not one of the whole body: no command larger than about 1 MiB for the
        // server to buffer (the transaction still applies them all at once).
        foreach (var batch in entries.Chunk(FieldsPerCommand))
        {
            _ = transaction.HashSetAsync(key, batch);
        }
        if (!await transaction.ExecuteAsync())
        {
            throw new InvalidOperationException($"The cache node did not store '{metadata.Key}'.");
        }
    }

    // the chunk fields, then the header alone
    private static HashEntry[] ToEntries(byte[][] fields, EntryShape shape)
    {
        var entries = new HashEntry[fields.Length + 1];
        for (int n = 0; n < fields.Length; n++)
        {
            entries[n] = new HashEntry(shape.ChunkField(n), fields[n]);
        }

        entries[^1] = new HashEntry(HeaderField, fields[0].AsSpan(0, shape.HeaderLength).ToArray());
        return entries;
    }

    /// <summary>The entry's fields at their sizes, the first with its header written; the body goes behind the header.</summary>
    private static (byte[][] Fields, EntryShape Shape) NewEntry(ObjectMetadata metadata, int chunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, MinChunkBytes);
        var etag = Encoding.UTF8.GetBytes(metadata.ETag);
        var contentType = Encoding.UTF8.GetBytes(metadata.ContentType);
        var headerLength = FixedBytes + 2 + etag.Length + 2 + contentType.Length;
        if (headerLength > MaxHeaderBytes)
        {
            throw new ArgumentException($"The ETag and content type of '{metadata.Key}' are too long for a cache entry header.", nameof(metadata));
        }

        var shape = new EntryShape(headerLength, chunkBytes, Random.Shared.NextInt64());
        var count = shape.ChunkCount(metadata.Length);
        var fields = new byte[count][];
        for (int n = 0; n < count; n++)
        {
            fields[n] = new byte[shape.FieldLength(n, metadata.Length)];
        }

        var span = fields[0].AsSpan();
        span[0] = (byte)'R';
        span[1] = (byte)'C';
        span[2] = Version;
        span[3] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)headerLength);
        BinaryPrimitives.WriteInt64BigEndian(span[6..], metadata.Length);
        BinaryPrimitives.WriteInt64BigEndian(span[14..], metadata.LastModified.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64BigEndian(span[22..], shape.WriteId);
        BinaryPrimitives.WriteInt32BigEndian(span[30..], chunkBytes);
        var at = FixedBytes;
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)etag.Length);
        etag.CopyTo(span[(at + 2)..]);
        at += 2 + etag.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)contentType.Length);
        contentType.CopyTo(span[(at + 2)..]);
        return (fields, shape);
    }

    /// <summary>
    /// The metadata and body of an entry from all its fields (as HGETALL returns them); null when they are not one whole
    /// entry of this layout (a field missing, of another length, or one too many; a header field that is not field
    /// <c>"0"</c>'s header).
    /// </summary>
    public static (ObjectMetadata Metadata, byte[] Body)? Decode(string key, IReadOnlyCollection<HashEntry> fields)
    {
        var byName = fields.ToDictionary(f => Convert.ToHexString((byte[])f.Name!), f => (byte[]?)f.Value ?? []);
        if (!byName.TryGetValue(Convert.ToHexString((byte[])FirstField!), out var first)
            || !byName.TryGetValue(Convert.ToHexString((byte[])HeaderField!), out var header)
            || !TryReadHeader(key, first, out var metadata, out var shape)
            || !first.AsSpan(0, shape.HeaderLength).SequenceEqual(header)
            || fields.Count != shape.ChunkCount(metadata.Length) + 1)
        {
            return null;
        }

        var body = new byte[metadata.Length];
        for (int n = 0; n < fields.Count - 1; n++)
        {
            if (!byName.TryGetValue(Convert.ToHexString((byte[])shape.ChunkField(n)!), out var field) || field.Length != shape.FieldLength(n, metadata.Length))
            {
                return null;
            }

            field.AsSpan(shape.BodyOffsetInField(n)).CopyTo(body.AsSpan((int)shape.ChunkStart(n)));
        }

        return (metadata, body);
    }

    /// <summary>
    /// The node's whole entry of <paramref name="key"/>, read field by field with the reader's command (HGET): null when
    /// there is none or its fields are not one whole entry. For checks and tests; the gateway streams entries instead.
    /// </summary>
    public static async Task<(ObjectMetadata Metadata, byte[] Body)?> ReadAsync(IDatabaseAsync database, string key)
    {
        var entryKey = EntryKey(key);
        var first = await database.HashGetAsync(entryKey, FirstField);
        if (first.IsNull || !TryReadHeader(key, (byte[])first!, out var metadata, out var shape))
        {
            return null;
        }

        var reads = Enumerable.Range(1, shape.ChunkCount(metadata.Length) - 1).Select(n => database.HashGetAsync(entryKey, shape.ChunkField(n))).ToArray();
        var chunks = await Task.WhenAll(reads);
        if (chunks.Any(c => c.IsNull))
        {
            return null;
        }

        var header = await database.HashGetAsync(entryKey, HeaderField);
        return Decode(key, [new HashEntry(FirstField, first), .. chunks.Select((c, i) => new HashEntry(shape.ChunkField(i + 1), c)), new HashEntry(HeaderField, header)]);
    }

    /// <summary>Removes an object from the node.</summary>
    public static Task<bool> RemoveAsync(IDatabaseAsync database, string key) => database.KeyDeleteAsync(EntryKey(key));

    /// <summary>The metadata of the node's entry of <paramref name="key"/> (null: none, or not of this layout).</summary>
    public static async Task<ObjectMetadata?> ReadMetadataAsync(IDatabaseAsync database, string key)
    {
        try
        {
            using var header = await database.HashGetLeaseAsync(EntryKey(key), HeaderField);
            return header is not null && TryReadHeader(key, header.Span, out var metadata, out _) ? metadata : null;
        }
        catch (RedisServerException e) when (IsNotAnEntry(e))
        {
            return null;
        }
    }

    /// <summary>Whether the node refused a read because the key holds another type (not an entry of this layout, e.g. an older one).</summary>
    public static bool IsNotAnEntry(Exception e) =>
        e is RedisServerException && e.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal);

    /// <summary>
    /// Reads the header at the start of <paramref name="data"/> (the first field of an entry). <c>false</c> when there is
    /// no entry (empty data) or the bytes are not a whole header of this layout.
    /// </summary>
    public static bool TryReadHeader(string key, ReadOnlySpan<byte> data, out ObjectMetadata metadata, out EntryShape shape)
    {
        metadata = null!;
        shape = default;
        if (data.Length < FixedBytes + 4 || data[0] != (byte)'R' || data[1] != (byte)'C' || data[2] != Version)
        {
            return false;
        }

        var headerLength = BinaryPrimitives.ReadUInt16BigEndian(data[4..]);
        if (headerLength < FixedBytes + 4 || headerLength > MaxHeaderBytes || data.Length < headerLength)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt64BigEndian(data[6..]);
        var modified = BinaryPrimitives.ReadInt64BigEndian(data[14..]);
        var writeId = BinaryPrimitives.ReadInt64BigEndian(data[22..]);
        var chunkBytes = BinaryPrimitives.ReadInt32BigEndian(data[30..]);
        var at = FixedBytes;
        var etagLength = BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
        if (at + 2 + etagLength + 2 > headerLength || chunkBytes < MinChunkBytes)
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
        shape = new EntryShape(headerLength, chunkBytes, writeId);
        return true;
    }
}
