namespace ReactiveCache.Domain.Policy;

/// <summary>
/// How a policy waits after the node failed it (<see cref="NodeFailureRules"/>): the first wait, doubled after each
/// further failure, never above <see cref="MaxRetryDelay"/>.
/// </summary>
/// <param name="RetryDelay">The wait after a first failed boot, lost node or failed stop.</param>
/// <param name="MaxRetryDelay">The cap: a node that keeps failing is tried at most this often.</param>
public sealed record NodeFailureSettings(TimeSpan RetryDelay, TimeSpan MaxRetryDelay)
{
    /// <summary>5 s, doubling up to 5 minutes: a crash loop of an EC2 node costs at most one billed boot per 5 minutes.</summary>
    public static NodeFailureSettings Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));
}
