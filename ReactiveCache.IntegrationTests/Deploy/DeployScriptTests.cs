using System.IO.Compression;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.IntegrationTests.Lambda;

namespace ReactiveCache.IntegrationTests.Deploy;

/// <summary>deploy.sh --dry-run: every artifact built, every AWS call printed, no credentials needed.</summary>
[Collection(NativeAotCollection.Name)]
public sealed class DeployScriptTests(NativeAotPublishFixture publish)
{
    [Fact]
    public async Task A_dry_run_builds_everything_and_prints_every_aws_call_without_credentials()
    {
        var (exit, output) = await DeployBuild.RunOnceAsync(publish);

        Assert.True(exit == 0, output);
        foreach (var call in new[]
                 {
                     "aws --region eu-central-1 ssm put-parameter --name /reactive-cache/reactive-cache/tunnel-secret --type SecureString",
                     "aws --region eu-central-1 ssm put-parameter --name /reactive-cache/reactive-cache/cache-node-reader-password --type SecureString",
                     "aws --region eu-central-1 ssm put-parameter --name /reactive-cache/reactive-cache/cache-node-writer-password --type SecureString",
                     "aws --region eu-central-1 ssm put-parameter --name /reactive-cache/reactive-cache/control-api-key --type SecureString",
                     "aws --region eu-central-1 ssm put-parameter --name /reactive-cache/reactive-cache/gateway-link-secret --type SecureString",
                     "aws --region eu-central-1 cloudformation deploy --no-fail-on-empty-changeset --tags Project=ReactiveCache --stack-name reactive-cache-artifacts",
                     "aws --region eu-central-1 cloudformation deploy --no-fail-on-empty-changeset --tags Project=ReactiveCache --stack-name reactive-cache --template-file",
                     "ClientCidr=203.0.113.7/32",
                     "aws --region eu-central-1 lambda wait function-active-v2 --function-name reactive-cache-function",
                     "aws --region eu-central-1 ec2 wait instance-stopped",
                 })
        {
            Assert.Contains(call, output, StringComparison.Ordinal);
        }

        // Every release artifact is uploaded under a content-hash key, and the stack is given those keys.
        foreach (var name in new[] { "function", "gateway", "orchestrator", "host" })
        {
            var key = Assert.Single(File.ReadLines(Path.Combine(DeployBuild.BuildDirectory, "release.env")),
                l => l.StartsWith($"{name.ToUpperInvariant()}_KEY=", StringComparison.Ordinal)).Split('=')[1];
            Assert.Matches($"^releases/{name}-[0-9a-f]{{64}}\\.(zip|tar\\.gz)$", key);
            Assert.Contains($"s3 cp --only-show-errors {Path.Combine(DeployBuild.Packages, name == "function" ? "function.zip" : $"{name}.tar.gz")} s3://\\<artifact-bucket\\>/{key}", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_function_zip_holds_an_executable_bootstrap_at_its_root()
    {
        var (exit, output) = await DeployBuild.RunOnceAsync(publish);
        Assert.True(exit == 0, output);

        using var zip = ZipFile.OpenRead(Path.Combine(DeployBuild.Packages, "function.zip"));
        var entry = Assert.Single(zip.Entries);
        Assert.Equal("bootstrap", entry.FullName);
        // Unix mode in the high 16 bits of the external attributes: a regular file, rwxr-xr-x.
        Assert.Equal(Convert.ToInt32("100755", 8), (entry.ExternalAttributes >> 16) & 0xFFFF);
        Assert.Equal(new FileInfo(publish.Binary).Length, entry.Length);
    }

    [Fact]
    public async Task The_bootstrap_needs_no_glibc_newer_than_amazon_linux_2023s()
    {
        Assert.True(publish.ExitCode == 0, publish.Log);

        var (exit, symbols) = await ToolCommand.RunAsync("objdump", ["-T", publish.Binary], TimeSpan.FromMinutes(1));

        Assert.Equal(0, exit);
        var versions = System.Text.RegularExpressions.Regex.Matches(symbols, @"GLIBC_(\d+)\.(\d+)")
            .Select(m => new Version(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)))
            .Distinct()
            .ToList();
        Assert.NotEmpty(versions);
        Assert.True(versions.Max() <= new Version(2, 34), $"bootstrap needs glibc {versions.Max()}; provided.al2023 has 2.34");
    }
}
