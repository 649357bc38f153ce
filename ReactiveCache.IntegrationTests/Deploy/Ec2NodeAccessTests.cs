using System.Diagnostics;
using ReactiveCache.Core.Caching;
using ReactiveCache.IntegrationTests.Infrastructure;
using ReactiveCache.IntegrationTests.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.CacheNode;

namespace ReactiveCache.IntegrationTests.Deploy;

/// <summary>
/// The EC2 node's users as deploy/stack.yaml configures them: the node's per-start script (from the instance's user
/// data) runs here with stand-ins for the instance metadata and SSM, and redis-server runs with the configuration
/// it writes. The cache node's access rules then hold there as on the other servers.
/// </summary>
public sealed class Ec2NodeAccessTests(Ec2NodeAccessTests.Node node) : CacheNodeAccessContract, IClassFixture<Ec2NodeAccessTests.Node>
{
    protected override S3rverFixture S3 => node.S3;

    protected override CacheNodeEndpoint Endpoint => new("127.0.0.1", node.Port);

    protected override string ReaderPassword => Node.Reader;

    protected override string WriterPassword => Node.Writer;

    protected override string Key => "cache-node-access-ec2.txt";

    [Fact]
    public Task The_default_user_is_off_whatever_the_password() => AssertDefaultUserIsOffAsync();

    [Fact]
    public void The_stack_gives_its_users_exactly_the_rules_of_CacheNodeUsers()
    {
        var script = string.Join('\n', Node.ScriptLines());

        Assert.Contains($"echo \"{CacheNodeUsers.Rule(CacheNodeUsers.Reader, "$reader", CacheNodeUsers.ReaderRules)}\"", script, StringComparison.Ordinal);
        Assert.Contains($"echo \"{CacheNodeUsers.Rule(CacheNodeUsers.Writer, "$writer", CacheNodeUsers.WriterRules)}\"", script, StringComparison.Ordinal);
        Assert.Contains("echo \"user default off resetpass -@all\"", script, StringComparison.Ordinal);
        Assert.DoesNotContain("requirepass", script, StringComparison.Ordinal);
    }

    /// <summary>redis-server with the configuration the stack's node script writes, and the run's s3rver.</summary>
    public sealed class Node : IAsyncLifetime
    {
        public const string Reader = "ec2-access-tests-reader-password";
        public const string Writer = "ec2-access-tests-writer-password";
        private const string Script = "/usr/local/sbin/reactive-cache-node-config";

        private readonly string _run = Directory.CreateTempSubdirectory("node-config-").FullName;
        private ServerProcess? _redis;

        public S3rverFixture S3 { get; } = new();

        public int Port { get; } = FreePort.Next();

        public async Task InitializeAsync()
        {
            await S3.InitializeAsync();
            var lines = ScriptLines();
            // Stand-ins: the metadata service answers loopback, SSM the test's passwords; /run is a temporary directory.
            string[] standIns =
            [
                "curl() { case \"$*\" in *api/token*) echo token ;; *local-ipv4*) echo 127.0.0.1 ;; *) return 1 ;; esac; }",
                $"aws() {{ case \"$*\" in *cache-node-reader-password*) echo {Reader} ;; *cache-node-writer-password*) echo {Writer} ;; *) return 1 ;; esac; }}",
                "install() { :; }",
                "chown() { :; }",
            ];
            var script = string.Join('\n', [lines[0], .. standIns, .. lines.Skip(1)])
                .Replace("${AWS::Region}", "eu-central-1", StringComparison.Ordinal)
                .Replace("${AWS::StackName}", "reactive-cache", StringComparison.Ordinal)
                .Replace("/run/reactive-cache", _run, StringComparison.Ordinal);
            var path = Path.Combine(_run, "node-config.sh");
            await File.WriteAllTextAsync(path, script + "\n");

            using (var bash = Process.Start(new ProcessStartInfo("bash", [path]) { RedirectStandardError = true })!)
            {
                var error = await bash.StandardError.ReadToEndAsync();
                await bash.WaitForExitAsync();
                Assert.True(bash.ExitCode == 0, $"the node script failed ({bash.ExitCode}): {error}");
            }

            // The written configuration as it is, on a port of the test's (a later option wins in Redis).
            _redis = await ServerProcess.StartAsync(RedisServer.Executable(), [Path.Combine(_run, "redis.conf"), "--port", Port.ToString()], Port);
        }

        /// <summary>The node's per-start script, as the instance's user data writes it (before substitution).</summary>
        public static IReadOnlyList<string> ScriptLines() =>
            CloudFormationTemplate.Load(Path.Combine(RepoPaths.Root, "deploy", "stack.yaml")).HeredocFiles("CacheNode")[Script];

        public async Task DisposeAsync()
        {
            if (_redis is not null)
            {
                await _redis.DisposeAsync();
            }

            Directory.Delete(_run, recursive: true);
        }
    }
}
