namespace ReactiveCache.Domain.Traces.Logs;

/// <summary>One request read from an access log; <see cref="IsGet"/> says whether it reads an object.</summary>
public readonly record struct AccessLogEntry(DateTimeOffset Time, string Key, bool IsGet);
