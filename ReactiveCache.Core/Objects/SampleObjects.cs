using System.Text;

namespace ReactiveCache.Core.Objects;

/// <summary>
/// The thesis's test objects with deterministic content: <c>index.html</c> (exactly 144 bytes),
/// <c>100B.txt</c>, <c>1KB.txt</c> and <c>1MB.txt</c>. Local runs and tests seed their store with these.
/// </summary>
public static class SampleObjects
{
    public const string IndexHtml =
        "<!DOCTYPE html>\n<html><head><title>ReactiveCache</title></head>\n<body><p>Served by ReactiveCache from S3, Lambda or Redis....</p></body></html>\n";

    public static IReadOnlyDictionary<string, byte[]> All { get; } = new Dictionary<string, byte[]>
    {
        ["index.html"] = Encoding.ASCII.GetBytes(IndexHtml),
        ["100B.txt"] = Text(100),
        ["1KB.txt"] = Text(1024),
        ["1MB.txt"] = Text(1024 * 1024),
    };

    /// <summary>Writes every sample object into <paramref name="root"/>, leaving files that already match alone.</summary>
    public static void SeedFolder(string root)
    {
        Directory.CreateDirectory(root);
        foreach (var (key, content) in All)
        {
            var path = Path.Combine(root, key);
            if (File.Exists(path) && new FileInfo(path).Length == content.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
            {
                continue;
            }

            // Write beside and move, so that a reader never sees half an object.
            var temp = $"{path}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temp, content);
            File.Move(temp, path, overwrite: true);
        }
    }

    /// <summary>Deterministic printable text of exactly <paramref name="length"/> bytes, one line per 64 bytes.</summary>
    private static byte[] Text(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (i % 64) == 63 ? (byte)'\n' : (byte)('a' + ((i / 64) + i) % 26);
        }

        return bytes;
    }
}
