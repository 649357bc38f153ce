namespace ReactiveCache.Domain.Traces.Logs;

public enum AccessLogKind
{
    /// <summary>NCSA Common Log Format, or Combined (referer and user agent appended).</summary>
    CommonOrCombined = 0,

    /// <summary>Amazon S3 server access log.</summary>
    S3ServerAccess = 1,
}
