namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>The server a <see cref="GatewayTarget"/> sends its requests to (both run in the bench's process).</summary>
public enum BenchServer
{
    /// <summary>The gateway (<see cref="InProcessGateway"/>).</summary>
    Gateway,

    /// <summary>The bare Kestrel endpoint and its floors (<see cref="BareEndpoint"/>).</summary>
    Bare,
}
