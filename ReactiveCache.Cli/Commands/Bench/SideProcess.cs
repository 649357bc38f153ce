namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>The process besides the bench's own whose CPU time a <see cref="GatewayTarget"/>'s row reports.</summary>
public enum SideProcess
{
    /// <summary>The cache node (redis-server).</summary>
    RedisServer,

    /// <summary>The function serving through its tunnel; a target reading it is measured only when the run has a function.</summary>
    Function,

    /// <summary>The origin in a process of its own (<see cref="LocalProcess.StartOriginAsync"/>); measured, like the function, only when the run has a function.</summary>
    Origin,

    /// <summary>nginx (master and workers); a target reading it is measured only when nginx is installed.</summary>
    Nginx,
}
