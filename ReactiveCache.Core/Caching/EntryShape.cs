using System.Buffers.Binary;
using StackExchange.Redis;

namespace ReactiveCache.Core.Caching;

/// <summary>
/// Where an entry's body bytes are (<see cref="CacheEntryLayout"/>): field <c>"0"</c> holds the header and the first
/// <see cref="FirstBodyBytes"/>, chunk n ≥ 1 the <see cref="ChunkBytes"/> after those, in a field named after the entry's
/// <see cref="WriteId"/> and n.
/// </summary>
/// <param name="HeaderLength">Bytes of the header at the start of field <c>"0"</c>.</param>
/// <param name="ChunkBytes">The most bytes of one field.</param>
/// <param name="WriteId">Drawn when the entry was stored: a replaced entry has another, so its old chunks cannot be read.</param>
public readonly record struct EntryShape(int HeaderLength, int ChunkBytes, long WriteId)
{
    /// <summary>Body bytes held by field <c>"0"</c> behind the header (at most).</summary>
    public int FirstBodyBytes => ChunkBytes - HeaderLength;

    /// <summary>How many fields hold a body of <paramref name="length"/> bytes (the first always, even for an empty body).</summary>
    public int ChunkCount(long length) =>
        length <= FirstBodyBytes ? 1 : checked((int)(1 + ((length - FirstBodyBytes + ChunkBytes - 1) / ChunkBytes)));

    /// <summary>The body offset of chunk <paramref name="n"/>'s first byte.</summary>
    public long ChunkStart(int n) => n == 0 ? 0 : FirstBodyBytes + ((long)(n - 1) * ChunkBytes);

    /// <summary>The chunk holding body offset <paramref name="offset"/>.</summary>
    public int ChunkOf(long offset) => offset < FirstBodyBytes ? 0 : checked((int)(1 + ((offset - FirstBodyBytes) / ChunkBytes)));

    /// <summary>The length of chunk <paramref name="n"/>'s field in an entry whose body has <paramref name="bodyLength"/> bytes.</summary>
    public int FieldLength(int n, long bodyLength) =>
        BodyOffsetInField(n) + (int)Math.Min(n == 0 ? FirstBodyBytes : ChunkBytes, bodyLength - ChunkStart(n));

    /// <summary>Where chunk <paramref name="n"/>'s body bytes start in its field (behind the header in field <c>"0"</c>).</summary>
    public int BodyOffsetInField(int n) => n == 0 ? HeaderLength : 0;

    /// <summary>The name of chunk <paramref name="n"/>'s field: <c>"0"</c>, or the write id and n (12 bytes, big-endian).</summary>
    public RedisValue ChunkField(int n)
    {
        if (n == 0)
        {
            return CacheEntryLayout.FirstField;
        }

        var name = new byte[12];
        BinaryPrimitives.WriteInt64BigEndian(name, WriteId);
        BinaryPrimitives.WriteInt32BigEndian(name.AsSpan(8), n);
        return name;
    }
}
