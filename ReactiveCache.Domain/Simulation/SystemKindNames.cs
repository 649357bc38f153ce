
namespace ReactiveCache.Domain.Simulation;

public static class SystemKindNames
{
    public static string ToName(this SystemKind kind) => kind switch
    {
        SystemKind.Reactive => "reactive",
        SystemKind.AlwaysOn => "always-on",
        SystemKind.ElastiCache => "elasticache",
        SystemKind.S3Only => "s3-only",
        SystemKind.Optimal => "optimal",
        SystemKind.ThesisOptimal => "thesis-optimal",
        _ => kind.ToString(),
    };

    public static bool TryParse(string? name, out SystemKind kind)
    {
        foreach (var k in Enum.GetValues<SystemKind>())
        {
            if (string.Equals(k.ToName(), name, StringComparison.OrdinalIgnoreCase))
            {
                kind = k;
                return true;
            }
        }

        kind = SystemKind.Reactive;
        return false;
    }

    public static IEnumerable<string> Names => Enum.GetValues<SystemKind>().Select(k => k.ToName());
}
