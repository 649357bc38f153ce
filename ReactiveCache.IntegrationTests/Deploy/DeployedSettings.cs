using System.Text.RegularExpressions;

namespace ReactiveCache.IntegrationTests.Deploy;

/// <summary>How a setting reaches a deployed service.</summary>
public enum DeployedAs
{
    /// <summary>A plain value: the app host's environment file or unit, or the function's environment.</summary>
    Value,

    /// <summary>An SSM SecureString read at boot: the value in the deployment is the parameter's name.</summary>
    Secret,
}

/// <summary>One deployed service: its settings and how each gets there.</summary>
public sealed record DeployedUnit(string Name, IReadOnlyDictionary<string, (DeployedAs As, string Value)> Settings);

/// <summary>
/// What deploy/ hands each service, read from the files themselves: the app host's environment and secret
/// files in stack.yaml's user data, the systemd units' <c>Environment=</c> lines, the function's environment.
/// </summary>
public static partial class DeployedSettings
{
    public static string DeployDirectory => Path.Combine(RepoPaths.Root, "deploy");

    public static CloudFormationTemplate Stack() => CloudFormationTemplate.Load(Path.Combine(DeployDirectory, "stack.yaml"));

    /// <summary>The deployed services by the AppHost resource they stand for (the function for the emulator's, whose env it inherits).</summary>
    public static IReadOnlyDictionary<string, DeployedUnit> ByResource()
    {
        var stack = Stack();
        var files = stack.HeredocFiles("AppHost");
        return new Dictionary<string, DeployedUnit>
        {
            ["gateway"] = HostUnit("gateway", files),
            ["orchestrator"] = HostUnit("orchestrator", files),
            ["lambda-emulator"] = new("function", stack.Resource("Function")["Properties"]!["Environment"]!["Variables"]!.AsObject()
                .ToDictionary(p => p.Key, p => (DeployedAs.Value, p.Value!.ToJsonString()))),
        };
    }

    private static DeployedUnit HostUnit(string name, IReadOnlyDictionary<string, IReadOnlyList<string>> files)
    {
        var settings = new Dictionary<string, (DeployedAs, string)>();
        foreach (var line in files[$"/etc/reactive-cache/{name}.env"])
        {
            var (key, value) = Split(line);
            settings.Add(key, (DeployedAs.Value, value));
        }

        foreach (var line in files[$"/etc/reactive-cache/{name}.secrets"])
        {
            var (key, value) = Split(line);
            settings.Add(key, (DeployedAs.Secret, value));
        }

        foreach (var line in File.ReadLines(Path.Combine(DeployDirectory, "host", $"reactive-cache-{name}.service")))
        {
            if (line.StartsWith("Environment=", StringComparison.Ordinal))
            {
                var (key, value) = Split(line["Environment=".Length..]);
                settings.Add(key, (DeployedAs.Value, value));
            }
        }

        return new DeployedUnit(name, settings);
    }

    private static (string Key, string Value) Split(string line)
    {
        var equals = line.IndexOf('=');
        Assert.True(equals > 0, $"not KEY=VALUE: {line}");
        return (line[..equals], line[(equals + 1)..]);
    }

    /// <summary>deploy/README.md's settings table: one row per key (or pattern with *), one column per AppHost resource.</summary>
    public static SettingsTable ReadmeTable()
    {
        var lines = File.ReadLines(Path.Combine(DeployDirectory, "README.md"))
            .SkipWhile(l => !l.StartsWith("| Setting |", StringComparison.Ordinal))
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .ToList();
        Assert.True(lines.Count > 2, "deploy/README.md has no table starting with '| Setting |'");
        var header = lines[0];
        var resources = header[1..^1].Select(h => h.Split(' ')[0]).ToArray();
        var rows = lines.Skip(2).Select(cells => new SettingsRow(
            cells[0].Trim('`'),
            resources.Select((r, i) => (r, cells[i + 1])).ToDictionary(x => x.r, x => x.Item2),
            cells[^1])).ToList();
        return new SettingsTable(resources, rows);
    }
}

public sealed record SettingsTable(IReadOnlyList<string> Resources, IReadOnlyList<SettingsRow> Rows)
{
    public SettingsRow? Find(string key) => Rows.FirstOrDefault(r => r.Matches(key));
}

public sealed record SettingsRow(string Key, IReadOnlyDictionary<string, string> Cells, string Why)
{
    public const string Deployed = "deployed";
    public const string Secret = "secret";
    public const string LocalOnly = "local only";

    public bool Matches(string key) =>
        Regex.IsMatch(key, "^" + string.Join(".*", Key.Split('*').Select(Regex.Escape)) + "$");
}
