using ReactiveCache.IntegrationTests.Infrastructure;

namespace ReactiveCache.IntegrationTests.Deploy;

/// <summary>The templates and scripts of deploy/ pass their linters and the project's policy rules (deploy/rules).</summary>
public sealed class TemplateChecksTests
{
    private static readonly string[] Templates = ["deploy/stack.yaml", "deploy/artifacts.yaml"];

    [Fact]
    public async Task The_templates_are_clean_for_cfn_lint_in_both_regions()
    {
        var (exit, output) = await ToolCommand.RunAsync(DeployTools.CfnLint,
            ["--regions", "eu-central-1", "us-east-1", "--format", "parseable", "--", .. Templates], TimeSpan.FromMinutes(3));

        Assert.True(exit == 0, $"cfn-lint exited {exit}:\n{output}");
    }

    [Fact]
    public async Task The_templates_follow_every_policy_rule()
    {
        var (exit, output) = await ToolCommand.RunAsync(DeployTools.CfnGuard,
            ["validate", "--rules", "deploy/rules/reactive-cache.guard", "--show-summary", "all", .. Templates.SelectMany(t => new[] { "--data", t })],
            TimeSpan.FromMinutes(1));

        Assert.True(exit == 0, $"cfn-guard exited {exit}:\n{output}");
        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);
        // The rules that concern the app stack all ran on it (none skipped for want of what they check).
        Assert.Equal(14, output.Split('\n').TakeWhile(l => !l.StartsWith("---", StringComparison.Ordinal))
            .Count(l => l.StartsWith("reactive-cache.guard/", StringComparison.Ordinal) && l.TrimEnd().EndsWith("PASS", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Each_policy_rule_fails_a_template_that_breaks_it()
    {
        var (exit, output) = await ToolCommand.RunAsync(DeployTools.CfnGuard,
            ["test", "--rules-file", "deploy/rules/reactive-cache.guard", "--test-data", "deploy/rules/reactive-cache.tests.yaml"],
            TimeSpan.FromMinutes(1));

        Assert.True(exit == 0, $"cfn-guard test exited {exit} (a case did not end as expected):\n{output}");
        Assert.DoesNotContain("FAIL Rules", output, StringComparison.Ordinal);
        Assert.True(output.Split("Expected = FAIL").Length - 1 >= 20, output);
    }

    [Fact]
    public async Task The_scripts_are_clean_for_shellcheck()
    {
        var scripts = new[] { "deploy/deploy.sh", "deploy/destroy.sh", "deploy/host/boot.sh", "test.sh" };

        var (exit, output) = await ToolCommand.RunAsync(DeployTools.Shellcheck, scripts, TimeSpan.FromMinutes(1));

        Assert.True(exit == 0, $"shellcheck exited {exit}:\n{output}");
    }
}
