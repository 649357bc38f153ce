using ReactiveCache.Domain;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// One row of <c>bench gateway</c>: where its GETs go (<paramref name="Server"/>, <c>{Path}/{key}</c>), the layer
/// the gateway must name in <c>Content-Origin</c> (and route the keys to) for an answer to count, and whose CPU
/// the row reports beside this process's. A new row is one more instance here, listed in <see cref="All"/>.
/// </summary>
/// <param name="Name">Short name, for verdicts (“gateway (redis) / bare”).</param>
/// <param name="Label">The table's row label.</param>
/// <param name="Origin">The gateway layer the row measures (null: not a gateway row, no origin checked).</param>
/// <param name="Peer">The header a peer's answers must carry (nginx's cache status), for a row that is no gateway row.</param>
public sealed record GatewayTarget(string Name, string Label, BenchServer Server, string Path, CacheLayer? Origin, SideProcess Cpu, AnswerCheck? Peer = null)
{
    /// <summary>The header every measured answer must carry (null: any 200 counts).</summary>
    public AnswerCheck? Check => Origin is { } layer ? new AnswerCheck("Content-Origin", layer.ToName()) : Peer;

    /// <summary>The baseline: bare Kestrel answering with the bytes from memory.</summary>
    public static readonly GatewayTarget Bare = new("bare", "bare Kestrel", BenchServer.Bare, "objects", null, SideProcess.RedisServer);

    /// <summary>The gateway with the keys routed to Redis, answering from the cache node.</summary>
    public static readonly GatewayTarget GatewayRedis = new("gateway (redis)", "gateway, redis hit", BenchServer.Gateway, "objects", CacheLayer.Redis, SideProcess.RedisServer);

    /// <summary>Floor: bare Kestrel plus one Redis read of the whole entry, nothing else.</summary>
    public static readonly GatewayTarget RedisFloor = new("redis floor", "bare + 1 Redis read (floor)", BenchServer.Bare, "redis", null, SideProcess.RedisServer);

    /// <summary>
    /// The peer a user would otherwise pick: nginx with <c>proxy_cache</c> in front of the bare endpoint, warmed,
    /// every counted answer a cache HIT (<c>X-Cache-Status</c>).
    /// </summary>
    public static readonly GatewayTarget Nginx = new("nginx", "nginx proxy_cache hit (peer)", BenchServer.Nginx, "objects", null, SideProcess.Nginx,
        new AnswerCheck(NginxProxyCache.CacheStatusHeader, "HIT"));

    /// <summary>Floor: bare Kestrel forwarding to itself over loopback with YARP, nothing else.</summary>
    public static readonly GatewayTarget YarpFloor = new("YARP floor", "bare + 1 YARP hop (floor)", BenchServer.Bare, "proxy", null, SideProcess.RedisServer);

    /// <summary>
    /// Floor: bare Kestrel forwarding with YARP to bare Kestrel in another process (<see cref="LocalProcess.StartOriginAsync"/>),
    /// nothing else: the hop the Lambda path makes to the function's process, without the tunnel and the function.
    /// </summary>
    public static readonly GatewayTarget ProcessHopFloor = new("YARP floor, 2 processes", "2-process YARP hop (floor)", BenchServer.Bare, "proxy-out", null, SideProcess.Origin);

    /// <summary>The gateway with the keys routed to Lambda, forwarding through the tunnel to the function.</summary>
    public static readonly GatewayTarget GatewayLambda = new("gateway (lambda)", "gateway, lambda (tunnel)", BenchServer.Gateway, "objects", CacheLayer.Lambda, SideProcess.Function);

    /// <summary>Every row, in the order measured (within a round) and printed.</summary>
    public static readonly IReadOnlyList<GatewayTarget> All = [Bare, GatewayRedis, RedisFloor, Nginx, YarpFloor, ProcessHopFloor, GatewayLambda];
}
