using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ReactiveCache.IntegrationTests.Infrastructure;

namespace ReactiveCache.IntegrationTests.Deploy;

/// <summary>
/// The AppHost is the one description of the topology: every project resource of its published manifest, and
/// every setting it hands each one, is deployed by deploy/ (plain, or a secret from SSM when the AppHost passes a
/// secret parameter), or named "local only" with a reason in deploy/README.md's table. Adding a setting to the
/// AppHost without deploying it fails here.
/// </summary>
public sealed partial class ManifestDriftTests
{
    [Fact]
    public async Task Every_setting_the_AppHost_hands_a_project_is_deployed_or_named_local_only()
    {
        var manifest = await PublishManifestAsync();
        var deployed = DeployedSettings.ByResource();
        var table = DeployedSettings.ReadmeTable();
        var problems = Compare(manifest, deployed, table);
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task A_setting_added_to_the_AppHost_and_not_deployed_fails_the_comparison()
    {
        var manifest = await PublishManifestAsync();
        manifest["resources"]!["gateway"]!["env"]!["Layers__NewSetting"] = "42";
        manifest["resources"]!["orchestrator"]!["env"]!["Tunnel__Secret"] = "{new-secret.value}";
        manifest["resources"]!["new-service"] = new JsonObject { ["type"] = "project.v0", ["env"] = new JsonObject() };

        var problems = Compare(manifest, DeployedSettings.ByResource(), DeployedSettings.ReadmeTable());

        Assert.Contains(problems, p => p.Contains("gateway: Layers__NewSetting", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("orchestrator: Tunnel__Secret", StringComparison.Ordinal) && p.Contains("new-secret", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("new-service", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_deployed_setting_is_in_the_table_and_secrets_come_only_from_ssm()
    {
        var table = DeployedSettings.ReadmeTable();
        var problems = new List<string>();
        foreach (var (resource, unit) in DeployedSettings.ByResource())
        {
            foreach (var (key, (kind, value)) in unit.Settings)
            {
                var cell = table.Find(key)?.Cells.GetValueOrDefault(resource);
                var expected = kind == DeployedAs.Secret ? SettingsRow.Secret : SettingsRow.Deployed;
                if (cell != expected)
                {
                    problems.Add($"{unit.Name}: {key} is deployed ({kind}) but deploy/README.md's table says '{cell ?? "nothing"}' for {resource}");
                }

                if (kind == DeployedAs.Secret && !SsmName().IsMatch(value))
                {
                    problems.Add($"{unit.Name}: secret {key} must name an SSM parameter /reactive-cache/${{AWS::StackName}}/NAME, not '{value}'");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task With_the_aws_invoker_the_orchestrator_signs_with_the_key_pair_the_emulator_checks()
    {
        var manifest = await PublishManifestAsync("--Function:Invoker=Aws");
        var orchestrator = manifest["resources"]!["orchestrator"]!["env"]!;
        var emulator = manifest["resources"]!["lambda-emulator"]!["env"]!;

        Assert.Equal("Aws", orchestrator["Function__Invoker"]?.ToString());
        Assert.Equal("{lambda-emulator.bindings.http.url}", orchestrator["Function__Endpoint"]?.ToString());
        Assert.Equal("{emulator-access-key.value}", orchestrator["AWS_ACCESS_KEY_ID"]?.ToString());
        Assert.Equal("{emulator-secret-key.value}", orchestrator["AWS_SECRET_ACCESS_KEY"]?.ToString());
        Assert.Equal(orchestrator["AWS_ACCESS_KEY_ID"]?.ToString(), emulator["Emulator__AccessKey"]?.ToString());
        Assert.Equal(orchestrator["AWS_SECRET_ACCESS_KEY"]?.ToString(), emulator["Emulator__SecretKey"]?.ToString());
        Assert.True(manifest["resources"]!["emulator-secret-key"]!["inputs"]!["value"]!["secret"]!.GetValue<bool>());
    }

    /// <summary>The AppHost's manifest, with <paramref name="settings"/> given to the AppHost (<c>--Key=Value</c>).</summary>
    private static async Task<JsonObject> PublishManifestAsync(params string[] settings)
    {
        var output = Directory.CreateTempSubdirectory("manifest-").FullName;
        try
        {
            var (exit, log) = await DotnetCommand.RunAsync(
                ["run", "--project", "ReactiveCache.AppHost", "--no-build", "--", "--operation", "publish", "--step", "publish-manifest", "--output-path", output, .. settings],
                TimeSpan.FromMinutes(3));
            var path = Path.Combine(output, "aspire-manifest.json");
            Assert.True(exit == 0 && File.Exists(path), log);
            return JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>What is wrong (nothing when the deployment matches the AppHost).</summary>
    private static List<string> Compare(JsonObject manifest, IReadOnlyDictionary<string, DeployedUnit> deployed, SettingsTable table)
    {
        var problems = new List<string>();
        var resources = manifest["resources"]!.AsObject();
        var secretParameters = resources
            .Where(r => r.Value!["type"]!.GetValue<string>() == "parameter.v0" && r.Value["inputs"]?["value"]?["secret"]?.GetValue<bool>() == true)
            .Select(r => r.Key)
            .ToHashSet();

        foreach (var (name, resource) in resources.Where(r => r.Value!["type"]!.GetValue<string>() == "project.v0"))
        {
            if (!deployed.TryGetValue(name, out var unit) || !table.Resources.Contains(name))
            {
                problems.Add($"{name}: a project of the AppHost that deploy/ does not deploy (no unit for it, or no column in deploy/README.md's table)");
                continue;
            }

            foreach (var (key, value) in resource!["env"]!.AsObject())
            {
                var text = value!.ToString();
                var secret = ParameterReference().Matches(text).Select(m => m.Groups[1].Value).FirstOrDefault(secretParameters.Contains);
                var row = table.Find(key);
                var cell = row?.Cells.GetValueOrDefault(name);
                var deployedAs = unit.Settings.TryGetValue(key, out var setting) ? setting : default((DeployedAs, string)?);
                switch (cell)
                {
                    // Local only, with a reason: a secret too, when what it secures does not exist on AWS (the emulator's key pair).
                    case SettingsRow.LocalOnly when row!.Why.Length > 0:
                        break;
                    case SettingsRow.Deployed when secret is null && deployedAs is { Item1: DeployedAs.Value }:
                        break;
                    case SettingsRow.Secret when secret is not null && deployedAs is { Item1: DeployedAs.Secret } s && s.Item2.EndsWith($"/{secret}", StringComparison.Ordinal):
                        break;
                    default:
                        problems.Add($"{name}: {key} = {text}: the AppHost sets it, but it is " +
                                     (deployedAs is { } d ? $"deployed as {d.Item1} '{d.Item2}'" : "not deployed") +
                                     $" and deploy/README.md's table says '{cell ?? "nothing"}'" +
                                     (secret is null ? "" : $" (a secret: deploy it from the SSM parameter .../{secret})"));
                        break;
                }
            }
        }

        return problems;
    }

    [GeneratedRegex(@"\{([A-Za-z0-9-]+)\.value\}")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"^/reactive-cache/\$\{AWS::StackName\}/[a-z0-9-]+$")]
    private static partial Regex SsmName();
}
