using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ReactiveCache.Domain.Traces;

/// <summary>
/// Reads and writes the thesis's trace format: one request per line,
/// <c>id&lt;TAB&gt;offset_s&lt;TAB&gt;GET&lt;TAB&gt;key</c>, offsets in seconds from the start, CRLF or LF.
/// <list type="bullet">
/// <item>The key may be missing (the thesis's <c>5-latency-30.txt</c> has none: its runs fixed the object
/// per run). Such lines get <see cref="DefaultKey"/>, <c>index.html</c>: the thesis's 144-byte test object,
/// the one every other published trace names. Callers may choose another default.</item>
/// <item>Blank lines and lines starting with <c>#</c> are skipped; <c># duration_s: N</c> sets the window.</item>
/// <item>Without that header, a file name starting with <c>N-</c> gives N minutes (the thesis named its
/// traces so: <c>60-1-ec2log</c> is one hour); otherwise the window is the last offset rounded up to a minute.</item>
/// </list>
/// </summary>
public static partial class TraceFormat
{
    public const string DefaultKey = "index.html";
    public const string DurationHeader = "# duration_s:";

    public static Trace Load(string path, string defaultKey = DefaultKey)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        string name = Path.GetFileNameWithoutExtension(path);
        return Parse(reader, name, defaultKey, DurationFromName(name));
    }

    public static Trace Parse(TextReader reader, string name, string defaultKey = DefaultKey, TimeSpan? fallbackDuration = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var requests = new List<TraceRequest>();
        TimeSpan? duration = null;
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            var text = line.AsSpan().Trim();
            if (text.IsEmpty)
            {
                continue;
            }

            if (text[0] == '#')
            {
                if (text.StartsWith(DurationHeader, StringComparison.OrdinalIgnoreCase))
                {
                    var value = text[DurationHeader.Length..].Trim();
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || seconds < 0 || !double.IsFinite(seconds))
                    {
                        throw new TraceFormatException(name, lineNumber, $"duration '{value}' is not a non-negative number of seconds.");
                    }

                    duration = TimeSpan.FromSeconds(seconds);
                }

                continue;
            }

            requests.Add(ParseLine(line.Trim(), name, lineNumber, defaultKey));
        }

        return new Trace(name, requests, duration ?? fallbackDuration);
    }

    public static void Write(Trace trace, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(trace);
        writer.Write(DurationHeader);
        writer.Write(' ');
        writer.Write(trace.Duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
        writer.Write('\n');
        foreach (var r in trace.Requests)
        {
            writer.Write(r.Id.ToString(CultureInfo.InvariantCulture));
            writer.Write('\t');
            writer.Write(r.OffsetSeconds.ToString("0.0##", CultureInfo.InvariantCulture));
            writer.Write('\t');
            writer.Write(r.Method);
            writer.Write('\t');
            writer.Write(r.Key);
            writer.Write('\n');
        }
    }

    public static void Save(Trace trace, string path)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        Write(trace, writer);
    }

    /// <summary>The thesis's naming convention: a leading <c>N-</c> is the run length in minutes.</summary>
    public static TimeSpan? DurationFromName(string name)
    {
        var m = LeadingMinutes().Match(name);
        return m.Success && int.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out int minutes) && minutes > 0
            ? TimeSpan.FromMinutes(minutes)
            : null;
    }

    private static TraceRequest ParseLine(string line, string name, int lineNumber, string defaultKey)
    {
        var fields = line.Split('\t');
        if (fields.Length is < 3 or > 4)
        {
            throw new TraceFormatException(name, lineNumber, $"expected 'id<TAB>offset_s<TAB>GET<TAB>key' (3 or 4 tab-separated fields), found {fields.Length}.");
        }

        if (!long.TryParse(fields[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long id))
        {
            throw new TraceFormatException(name, lineNumber, $"id '{fields[0]}' is not an integer.");
        }

        if (!double.TryParse(fields[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double offset) || !double.IsFinite(offset) || offset < 0)
        {
            throw new TraceFormatException(name, lineNumber, $"offset '{fields[1]}' is not a non-negative number of seconds.");
        }

        string method = fields[2].Trim().ToUpperInvariant();
        if (method != "GET")
        {
            throw new TraceFormatException(name, lineNumber, $"method '{fields[2]}' is not supported (only GET).");
        }

        string key = fields.Length == 4 ? fields[3].Trim() : string.Empty;
        if (key.Length == 0)
        {
            key = defaultKey;
        }

        return new TraceRequest(id, offset, "GET", key);
    }

    [GeneratedRegex(@"^(\d+)-")]
    private static partial Regex LeadingMinutes();
}
