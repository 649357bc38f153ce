using System.Diagnostics;

namespace ReactiveCache.Lambda;

/// <summary>The function's spans: invoke (with warm/cold), tunnel open, each tunnelled GET. All carry <c>layer=lambda</c>.</summary>
public static class FunctionTelemetry
{
    public static readonly ActivitySource Function = new("ReactiveCache.Function");
    public static readonly ActivitySource Tunnel = new("ReactiveCache.Tunnel");

    public static Activity? Start(this ActivitySource source, string name, ActivityKind kind = ActivityKind.Internal, ActivityContext parent = default)
    {
        var activity = source.StartActivity(name, kind, parent);
        activity?.SetTag("layer", "lambda");
        return activity;
    }

    /// <summary>
    /// The invoke's trace context from <c>Lambda-Runtime-Trace-Id</c> when it carries W3C ids (the local
    /// emulator sends <c>Root={trace};Parent={span}</c>); AWS X-Ray ids are not W3C ids and start a new trace.
    /// </summary>
    public static ActivityContext ParentFromTraceHeader(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return default;
        }

        string? root = null, parent = null;
        foreach (var part in header.Split(';'))
        {
            var eq = part.IndexOf('=');
            if (eq > 0)
            {
                var value = part[(eq + 1)..].Trim();
                switch (part[..eq].Trim())
                {
                    case "Root": root = value; break;
                    case "Parent": parent = value; break;
                }
            }
        }

        return root is { Length: 32 } && parent is { Length: 16 } && IsHex(root) && IsHex(parent)
            ? new ActivityContext(ActivityTraceId.CreateFromString(root), ActivitySpanId.CreateFromString(parent), ActivityTraceFlags.Recorded, isRemote: true)
            : default;
    }

    private static bool IsHex(string value) => value.All(char.IsAsciiHexDigit);
}
