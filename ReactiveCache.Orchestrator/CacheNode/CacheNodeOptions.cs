using System.ComponentModel.DataAnnotations;
using ReactiveCache.Core.Caching;

namespace ReactiveCache.Orchestrator.CacheNode;

public enum CacheNodeKind
{
    /// <summary>A local Garnet process on loopback (ReactiveCache.CacheNode): needs only the .NET SDK.</summary>
    Local,

    /// <summary>A pre-created, normally stopped EC2 instance running Redis.</summary>
    Ec2,
}

/// <summary>Configuration section <c>CacheNode</c>.</summary>
public sealed class CacheNodeOptions : IValidatableObject
{
    public const string SectionName = "CacheNode";

    public CacheNodeKind Kind { get; set; } = CacheNodeKind.Local;

    /// <summary>
    /// The loader's user on the node: it stores, adopts and evicts entries (<see cref="CacheNodeUsers.WriterRules"/>);
    /// the orchestrator signs in as it for everything it does on the node. <c>default</c> for a node with only a
    /// <c>requirepass</c> password.
    /// </summary>
    public string User { get; set; } = CacheNodeUsers.Writer;

    /// <summary>The loader's password. Configuration or a secret store only, never the repository.</summary>
    [Required]
    [MinLength(8)]
    public string Password { get; set; } = "";

    /// <summary>Local: the gateways' read-only user that the node defines (<see cref="CacheNodeUsers.ReaderRules"/>).</summary>
    public string ReaderUser { get; set; } = CacheNodeUsers.Reader;

    /// <summary>
    /// Local: the gateways' password, which the node is started with (required then). On AWS the node reads it
    /// from its own secret and the orchestrator never holds it.
    /// </summary>
    public string? ReaderPassword { get; set; }

    /// <summary>How the orchestrator signs in on the node.</summary>
    public CacheNodeCredential Loader => new(User, Password);

    /// <summary>The node's Redis port (Local: 0 picks a free loopback port at each start).</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>How long to wait for the node to answer PING once it is up.</summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Local: imitates an EC2 boot (the port opens only after this delay).</summary>
    public TimeSpan BootDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Local: where the node's process id is kept, so that a restarted orchestrator adopts the node.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>
    /// Local: a process whose end also ends the node (the AppHost passes its own id), so that the
    /// node outlives an orchestrator restart but not the local run.
    /// </summary>
    public int? OwnerProcessId { get; set; }

    /// <summary>Local: Garnet log memory (e.g. <c>256m</c>).</summary>
    public string Memory { get; set; } = "256m";

    /// <summary>EC2: the instance to start and stop.</summary>
    public string? InstanceId { get; set; }

    /// <summary>EC2: the region; empty for the SDK's default resolution.</summary>
    public string? Region { get; set; }

    /// <summary>EC2: how often DescribeInstances is polled while waiting for a state.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// EC2, Development only: a loopback <c>host:port</c> used instead of the instance's private address once
    /// it runs. For tests against an offline EC2 API, whose instances have addresses that nothing listens on
    /// (and that must never be dialled); refused in any other environment.
    /// </summary>
    public string? LoopbackEndpoint { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Kind == CacheNodeKind.Ec2 && string.IsNullOrWhiteSpace(InstanceId))
        {
            yield return new ValidationResult("CacheNode:InstanceId is required when CacheNode:Kind is Ec2.", [nameof(InstanceId)]);
        }

        if (Kind == CacheNodeKind.Ec2 && Port == 0)
        {
            yield return new ValidationResult("CacheNode:Port is required when CacheNode:Kind is Ec2 (6379 for a default Redis).", [nameof(Port)]);
        }

        // The local node writes both users into its ACL file: names and passwords must be single plain tokens there.
        if (Kind == CacheNodeKind.Local
            && (!CacheNodeUsers.IsPlainToken(User) || !CacheNodeUsers.IsPlainToken(Password)
                || !CacheNodeUsers.IsPlainToken(ReaderUser) || !CacheNodeUsers.IsPlainToken(ReaderPassword) || ReaderPassword!.Length < 8
                || ReaderUser == User || ReaderUser == "default" || User == "default"))
        {
            yield return new ValidationResult(
                "CacheNode:ReaderUser and CacheNode:ReaderPassword (8 characters or more) are required when CacheNode:Kind is Local: the node " +
                "defines the gateways' read-only user and the loader's (CacheNode:User), two names other than 'default'; names and " +
                "passwords are printable ASCII without spaces, quotes or backslashes.",
                [nameof(ReaderUser), nameof(ReaderPassword)]);
        }

        if (LoopbackEndpoint is not null && ParseLoopback(LoopbackEndpoint) is null)
        {
            yield return new ValidationResult("CacheNode:LoopbackEndpoint must be a loopback host:port (127.0.0.0/8 or [::1]).", [nameof(LoopbackEndpoint)]);
        }

        if (ReadyTimeout <= TimeSpan.Zero || PollInterval <= TimeSpan.Zero || BootDelay < TimeSpan.Zero)
        {
            yield return new ValidationResult("CacheNode:ReadyTimeout and PollInterval must be positive, BootDelay not negative.");
        }
    }

    /// <summary><see cref="LoopbackEndpoint"/> as an endpoint; null when it is not a loopback <c>host:port</c>.</summary>
    public static CacheNodeEndpoint? ParseLoopback(string value) =>
        System.Net.IPEndPoint.TryParse(value, out var ip) && System.Net.IPAddress.IsLoopback(ip.Address) && ip.Port > 0
            ? new CacheNodeEndpoint(ip.Address.ToString(), ip.Port)
            : null;
}
