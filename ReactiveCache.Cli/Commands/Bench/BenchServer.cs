namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>The server a <see cref="GatewayTarget"/> sends its requests to.</summary>
public enum BenchServer
{
    /// <summary>The gateway (<see cref="InProcessGateway"/>, in the bench's process).</summary>
    Gateway,

    /// <summary>The bare Kestrel endpoint and its floors (<see cref="BareEndpoint"/>, in the bench's process).</summary>
    Bare,

    /// <summary>nginx with <c>proxy_cache</c> in front of the bare endpoint (<see cref="NginxProxyCache"/>, its own processes).</summary>
    Nginx,
}
