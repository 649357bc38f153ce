using ReactiveCache.Core.Objects;

namespace ReactiveCache.Core.Http;

/// <summary>
/// One byte range as a client asked for it (<c>bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c>), before
/// it is resolved against an object's length.
/// </summary>
public readonly record struct RangeSpec(long? From, long? To, long? SuffixLength)
{
    /// <summary>
    /// Parses a <c>Range</c> header holding exactly one byte range. Anything else (another unit, several
    /// ranges, bad syntax) yields <c>null</c>: RFC 9110 lets a server ignore such a header and send 200.
    /// </summary>
    public static RangeSpec? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var value = header.AsSpan().Trim();
        const string unit = "bytes=";
        if (!value.StartsWith(unit, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        value = value[unit.Length..].Trim();
        if (value.Contains(','))
        {
            return null;
        }

        var dash = value.IndexOf('-');
        if (dash < 0)
        {
            return null;
        }

        var first = value[..dash].Trim();
        var last = value[(dash + 1)..].Trim();
        if (first.IsEmpty)
        {
            return TryDigits(last, out var suffix) ? new RangeSpec(null, null, suffix) : null;
        }

        if (!TryDigits(first, out var from))
        {
            return null;
        }

        if (last.IsEmpty)
        {
            return new RangeSpec(from, null, null);
        }

        return TryDigits(last, out var to) && to >= from ? new RangeSpec(from, to, null) : null;
    }

    /// <summary>The bytes this range selects of an object of <paramref name="length"/> bytes; <c>null</c> when unsatisfiable.</summary>
    public ByteRange? Resolve(long length)
    {
        if (SuffixLength is { } suffix)
        {
            return suffix == 0 || length == 0 ? null : new ByteRange(Math.Max(0, length - suffix), length - 1);
        }

        var from = From ?? 0;
        if (from >= length)
        {
            return null;
        }

        return new ByteRange(from, Math.Min(To ?? long.MaxValue, length - 1));
    }

    private static bool TryDigits(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 18)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        return true;
    }
}
