namespace ReactiveCache.Domain.Traces.Logs;

/// <summary>
/// An access log to a trace: object GETs only (other methods and operations are skipped), offsets in
/// seconds from the first GET, sorted by time; optionally only the r-th most requested key (ties by
/// name), like the thesis's EClog trace (<c>60-1-ec2log</c> is its most requested object).
/// </summary>
public static class AccessLogConverter
{
    public static Trace ToTrace(TextReader reader, string name, AccessLogKind? kind = null, int? rank = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var entries = new List<AccessLogEntry>();
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#'))
            {
                continue;
            }

            var k = kind ?? AccessLogParser.Detect(line)
                ?? throw new TraceFormatException(name, lineNumber, "neither a Common/Combined Log Format line nor an S3 server access log line.");
            kind ??= k;
            if (!AccessLogParser.TryParse(line, k, out var entry, out var reason))
            {
                throw new TraceFormatException(name, lineNumber, reason!);
            }

            if (entry.IsGet)
            {
                entries.Add(entry);
            }
        }

        if (rank is { } r)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(r, 1, nameof(rank));
            var ranked = entries.GroupBy(e => e.Key, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Key).ToList();
            if (r > ranked.Count)
            {
                throw new ArgumentException($"--rank {r} asks for more keys than the log has ({ranked.Count} requested with GET).", nameof(rank));
            }

            string chosen = ranked[r - 1];
            entries = entries.Where(e => e.Key == chosen).ToList();
        }

        entries.Sort((a, b) => a.Time.CompareTo(b.Time));
        var start = entries.Count > 0 ? entries[0].Time : DateTimeOffset.UnixEpoch;
        var requests = new List<TraceRequest>(entries.Count);
        foreach (var e in entries)
        {
            requests.Add(new TraceRequest(requests.Count, Math.Round((e.Time - start).TotalSeconds, 3), "GET", e.Key));
        }

        return new Trace(name, requests);
    }
}
