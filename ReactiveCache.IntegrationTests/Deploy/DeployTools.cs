using ReactiveCache.IntegrationTests.Infrastructure;

namespace ReactiveCache.IntegrationTests.Deploy;

/// <summary>The checkers the deploy tests run; a missing one fails its test with how to install it (never a skip).</summary>
public static class DeployTools
{
    public static string CfnLint => Require("cfn-lint", "cfn-lint is not on PATH: it is on the machine's Python (pip install cfn-lint)");

    public static string Shellcheck => Require("shellcheck", "shellcheck is not on PATH: ./test.sh installs it (apt-get install shellcheck)");

    public static string Aws => Require("aws", "the AWS CLI (aws) is not on PATH: pip install awscli, or apt-get install awscli");

    public static string CfnGuard
    {
        get
        {
            var path = Path.Combine(RepoPaths.Tools, "node_modules", "@cdklabs", "cdk-validator-cfnguard", "bin", "ubuntu", "x86_64", "cfn-guard");
            return File.Exists(path)
                ? path
                : throw new InvalidOperationException($"cfn-guard is not at {path}: ./test.sh installs it (npm install --prefix .tools @cdklabs/cdk-validator-cfnguard@0.0.62)");
        }
    }

    private static string Require(string name, string howToInstall) =>
        ToolCommand.Which(name) ?? throw new InvalidOperationException(howToInstall);
}
