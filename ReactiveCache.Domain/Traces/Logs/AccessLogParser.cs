using System.Globalization;
using System.Text.RegularExpressions;

namespace ReactiveCache.Domain.Traces.Logs;

/// <summary>
/// Parses access-log lines. Common/Combined: <c>host ident user [10/Oct/2000:13:55:36 -0700] "GET /path HTTP/1.0" 200 2326 …</c>
/// (the key is the path without its leading slash and query). S3 server access log:
/// <c>owner bucket [06/Feb/2019:00:00:38 +0000] ip requester id REST.GET.OBJECT key "GET /bucket/key HTTP/1.1" 200 …</c>.
/// </summary>
public static partial class AccessLogParser
{
    /// <summary>Which format a line is in, or null if neither.</summary>
    public static AccessLogKind? Detect(string line)
    {
        var s3 = S3Line().Match(line);
        if (s3.Success && s3.Groups["op"].Value.Contains('.', StringComparison.Ordinal))
        {
            return AccessLogKind.S3ServerAccess;
        }

        return ClfLine().IsMatch(line) ? AccessLogKind.CommonOrCombined : null;
    }

    public static bool TryParse(string line, AccessLogKind kind, out AccessLogEntry entry, out string? reason)
    {
        entry = default;
        var m = kind == AccessLogKind.S3ServerAccess ? S3Line().Match(line) : ClfLine().Match(line);
        if (!m.Success)
        {
            reason = kind == AccessLogKind.S3ServerAccess
                ? "not an S3 server access log line (owner bucket [time] ip requester id operation key \"request\" status …)."
                : "not a Common/Combined Log Format line (host ident user [time] \"METHOD path PROTOCOL\" status size …).";
            return false;
        }

        if (!TryParseTime(m.Groups["time"].Value, out var time))
        {
            reason = $"timestamp '{m.Groups["time"].Value}' is not dd/MMM/yyyy:HH:mm:ss ±hhmm.";
            return false;
        }

        string key;
        bool isGet;
        if (kind == AccessLogKind.S3ServerAccess)
        {
            key = Uri.UnescapeDataString(m.Groups["key"].Value);
            isGet = m.Groups["op"].Value == "REST.GET.OBJECT" && key != "-";
        }
        else
        {
            string path = m.Groups["path"].Value;
            int q = path.IndexOfAny(['?', '#']);
            if (q >= 0)
            {
                path = path[..q];
            }

            key = path.TrimStart('/');
            isGet = m.Groups["method"].Value == "GET" && key.Length > 0;
        }

        entry = new AccessLogEntry(time, key, isGet);
        reason = null;
        return true;
    }

    private static bool TryParseTime(string text, out DateTimeOffset time)
    {
        time = default;
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || !DateTime.TryParseExact(text[..space], "dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        string zone = text[(space + 1)..];
        if (zone.Length != 5 || (zone[0] != '+' && zone[0] != '-')
            || !int.TryParse(zone.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int hh)
            || !int.TryParse(zone.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int mm))
        {
            return false;
        }

        var offset = new TimeSpan(hh, mm, 0);
        time = new DateTimeOffset(local, zone[0] == '-' ? -offset : offset);
        return true;
    }

    [GeneratedRegex("""^\S+ \S+ \S+ \[(?<time>[^\]]+)\] "(?<method>[A-Z]+) (?<path>\S+)(?: [^"]*)?" (?<status>\d{3}) \S+""")]
    private static partial Regex ClfLine();

    [GeneratedRegex("""^\S+ \S+ \[(?<time>[^\]]+)\] \S+ \S+ \S+ (?<op>\S+) (?<key>\S+) "[^"]*" (?<status>\d{3}|-)""")]
    private static partial Regex S3Line();
}
