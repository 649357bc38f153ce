using ReactiveCache.Core.Caching;
using ReactiveCache.Core.Http;
using ReactiveCache.Core.Objects;
using StackExchange.Redis;

namespace ReactiveCache.Gateway.Layers;

/// <summary>
/// What the Redis layer derives from a key and from its entry's header, kept for the keys served lately so that a hit
/// on an unchanged entry builds none of it again: the entry key, the parsed metadata (ETag and content type strings)
/// and the formatted <c>Last-Modified</c>. A fixed number of slots, picked by the key's hash: a key whose slot another
/// key took is simply derived again; nothing grows with the number of keys.
/// </summary>
/// <remarks>
/// A remembered header is used only when the bytes just read start with it byte for byte, so a replaced entry (another
/// ETag, length or date) is parsed afresh. Slots are immutable and swapped whole, so readers need no lock.
/// Hand-written: no served package memoises a parse keyed by the bytes it came from.
/// </remarks>
public sealed class EntryHeaderMemo
{
    private const int SlotCount = 1024;
    private readonly Entry?[] _slots = new Entry?[SlotCount];

    /// <summary>The remembered entry of <paramref name="key"/>, or a new one holding only its entry key.</summary>
    public Entry For(string key)
    {
        ref var slot = ref _slots[(int)((uint)string.GetHashCode(key) % SlotCount)];
        var entry = Volatile.Read(ref slot);
        if (entry is not null && string.Equals(entry.Key, key, StringComparison.Ordinal))
        {
            return entry;
        }

        entry = new Entry(key, CacheEntryLayout.EntryKey(key), null, null, default, null);
        Volatile.Write(ref slot, entry);
        return entry;
    }

    /// <summary>
    /// The metadata of the header at the start of <paramref name="data"/> (see <see cref="CacheEntryLayout.TryReadHeader"/>),
    /// taken from <paramref name="entry"/> when its header is the same bytes, otherwise parsed and remembered.
    /// </summary>
    public bool TryReadHeader(ref Entry entry, ReadOnlySpan<byte> data, out ObjectMetadata metadata, out EntryShape shape)
    {
        if (entry.Header is { } known && data.StartsWith(known.AsSpan()))
        {
            metadata = entry.Metadata!;
            shape = entry.Shape;
            return true;
        }

        if (!CacheEntryLayout.TryReadHeader(entry.Key, data, out metadata, out shape))
        {
            return false;
        }

        entry = entry with
        {
            Header = data[..shape.HeaderLength].ToArray(),
            Metadata = metadata,
            Shape = shape,
            LastModified = ObjectResponder.LastModifiedValue(metadata),
        };
        Volatile.Write(ref _slots[(int)((uint)string.GetHashCode(entry.Key) % SlotCount)], entry);
        return true;
    }

    /// <summary>One key's remembered derivations (<see cref="Header"/>, <see cref="Metadata"/>, <see cref="Shape"/> and <see cref="LastModified"/> together, or none).</summary>
    public sealed record Entry(string Key, RedisKey EntryKey, byte[]? Header, ObjectMetadata? Metadata, EntryShape Shape, string? LastModified);
}
