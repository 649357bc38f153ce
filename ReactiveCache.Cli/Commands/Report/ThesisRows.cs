namespace ReactiveCache.Cli.Commands.Report;

/// <summary>docs/thesis.md §4: the configurations the thesis ran and what it measured.</summary>
public static class ThesisRows
{
    public static IReadOnlyList<ThesisRow> All { get; } =
    [
        new("60-1-ec2log.txt", 3, 2, 56.00, 0.0131, 47.1),
        new("60-1-ec2log.txt", 3, 3, 85.71, 0.0142, 31.2),
        new("60-1-ec2log.txt", 3, 4, 93.71, 0.0128, 28.19),
        new("30-poisson-3.txt", 3, 2, 17.07, 0.00552, null),
        new("30-poisson-3.txt", 3, 3, 46.34, 0.00942, null),
        new("30-poisson-3.txt", 3, 4, 73.17, 0.00958, null),
        new("30-poisson-3.txt", 3, 5, 75.61, 0.0116, null),
        new("30-poisson-4.txt", 4, 2, 37.29, 0.00702, null),
        new("30-poisson-4.txt", 4, 3, 49.15, 0.0102, null),
        new("30-poisson-4.txt", 4, 4, 74.58, 0.0162, null),
        new("30-poisson-4.txt", 4, 5, 95.76, 0.0100, null),
        new("7-spike-simple-50-150.txt", 9, 4, 95.33, 0.00193, null),
        new("12-spike-simple-100-250.txt", 9, 4, 96.00, 0.00243, null),
        new("16-spike-simple-150-300.txt", 9, 4, 95.33, 0.00353, null),
        new("38-spike-simple-300-600.txt", 9, 4, 95.17, 0.00642, null),
    ];

    /// <summary>EClog baselines: system, thesis hit %, thesis cost.</summary>
    public static IReadOnlyList<(string System, double? Hit, double Cost)> EcLogBaselines { get; } =
    [
        ("s3-only", 0, 0.0000753),
        ("elasticache", 99.4, 0.019),
        ("always-on", 100, 0.0134),
        ("thesis-optimal", 100, 0.0116),
    ];
}
