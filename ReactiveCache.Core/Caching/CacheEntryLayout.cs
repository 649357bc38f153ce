using ReactiveCache.Core.Objects;
using StackExchange.Redis;

namespace ReactiveCache.Core.Caching;

/// <summary>
/// How an object is laid out on the cache node, shared by the writer (the orchestrator loads objects)
/// and the reader (the gateway's Redis layer): the body as a string value (so that ranges are read with
/// GETRANGE) and the metadata as a hash beside it.
/// </summary>
public static class CacheEntryLayout
{
    public const string FieldETag = "etag";
    public const string FieldContentType = "type";
    public const string FieldLength = "length";
    public const string FieldLastModified = "modified";

    /// <summary>The metadata fields in the order <see cref="ParseMetadata"/> expects them.</summary>
    public static readonly RedisValue[] MetadataFields = [FieldETag, FieldContentType, FieldLength, FieldLastModified];

    public static RedisKey BodyKey(string key) => "rc:body:" + key;

    public static RedisKey MetadataKey(string key) => "rc:meta:" + key;

    /// <summary>Writes an object (body and metadata) in one transaction, without expiry.</summary>
    public static async Task StoreAsync(IDatabase database, ObjectMetadata metadata, ReadOnlyMemory<byte> body)
    {
        if (body.Length != metadata.Length)
        {
            throw new ArgumentException($"The body has {body.Length} bytes; the metadata says {metadata.Length}.", nameof(body));
        }

        var transaction = database.CreateTransaction();
        _ = transaction.StringSetAsync(BodyKey(metadata.Key), body);
        _ = transaction.KeyDeleteAsync(MetadataKey(metadata.Key));
        _ = transaction.HashSetAsync(MetadataKey(metadata.Key),
        [
            new HashEntry(FieldETag, metadata.ETag),
            new HashEntry(FieldContentType, metadata.ContentType),
            new HashEntry(FieldLength, metadata.Length),
            new HashEntry(FieldLastModified, metadata.LastModified.ToUnixTimeMilliseconds()),
        ]);
        if (!await transaction.ExecuteAsync())
        {
            throw new InvalidOperationException($"Storing '{metadata.Key}' on the cache node was not committed.");
        }
    }

    /// <summary>Removes an object from the node.</summary>
    public static Task<long> RemoveAsync(IDatabaseAsync database, string key) =>
        database.KeyDeleteAsync([BodyKey(key), MetadataKey(key)]);

    /// <summary>The metadata read with <see cref="MetadataFields"/>, or <c>null</c> when the node does not hold the object.</summary>
    public static ObjectMetadata? ParseMetadata(string key, RedisValue[] fields)
    {
        if (fields.Length != MetadataFields.Length || fields[0].IsNull || fields[2].IsNull
            || !fields[2].TryParse(out long length) || length < 0)
        {
            return null;
        }

        var modified = fields[3].TryParse(out long ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.UnixEpoch;
        var contentType = fields[1].IsNullOrEmpty ? ContentTypes.ForKey(key) : (string)fields[1]!;
        return new ObjectMetadata(key, length, (string)fields[0]!, contentType, modified);
    }
}
