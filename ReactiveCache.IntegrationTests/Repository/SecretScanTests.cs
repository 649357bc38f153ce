namespace ReactiveCache.IntegrationTests.Repository;

/// <summary>No secret in the repository: every tracked file is scanned (test vectors allowed by path), and the scan does catch one.</summary>
public sealed class SecretScanTests : IDisposable
{
    private readonly DirectoryInfo _planted = Directory.CreateTempSubdirectory("secret-scan-");

    [Fact]
    public void No_tracked_file_holds_a_secret()
    {
        var files = SecretScan.TrackedFiles(RepoPaths.Root);

        var findings = SecretScan.Scan(RepoPaths.Root, files);

        Assert.True(files.Count > 100, $"only {files.Count} tracked files: is this a git checkout?");
        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    [Fact]
    public void A_planted_aws_key_is_found()
    {
        // Built at run time, so that this file itself holds no key.
        var accessKey = "AKIA" + "IOSFODNN7PLANTED";
        var secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "PLANTED123";
        File.WriteAllText(Path.Combine(_planted.FullName, "notes.md"), $"export AWS_ACCESS_KEY_ID={accessKey}\nexport AWS_SECRET_ACCESS_KEY={secretKey}\n");

        var findings = SecretScan.Scan(_planted.FullName, ["notes.md"]);

        Assert.Contains(findings, f => f is { Rule: "AWS access key id", Line: 1 });
        Assert.Contains(findings, f => f is { Rule: "AWS secret access key", Line: 2 });
    }

    [Fact]
    public void A_planted_private_key_and_configured_passwords_are_found_and_references_are_not()
    {
        File.WriteAllText(Path.Combine(_planted.FullName, "key.pem"), "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIB\n");
        File.WriteAllText(Path.Combine(_planted.FullName, "appsettings.Production.json"),
            """{ "CacheNode": { "Password": "hunter2-but-longer" }, "Tunnel": { "Secret": "" }, "AllowedHosts": "*" }""");
        File.WriteAllText(Path.Combine(_planted.FullName, "stack.yaml"),
            "Resources:\n  Node:\n    Properties:\n      Password: !Ref NodePassword\n      ApiKey: '{{resolve:ssm-secure:key}}'\n      DbPassword: s3cr3t-literal\n");

        var findings = SecretScan.Scan(_planted.FullName, ["key.pem", "appsettings.Production.json", "stack.yaml"]);

        Assert.Contains(findings, f => f is { Path: "key.pem", Rule: "private key" });
        Assert.Contains(findings, f => f.Path == "appsettings.Production.json" && f.Rule.Contains("Password", StringComparison.Ordinal));
        Assert.Contains(findings, f => f is { Path: "stack.yaml", Line: 6 });
        Assert.Equal(3, findings.Count);
    }

    public void Dispose() => _planted.Delete(recursive: true);
}
