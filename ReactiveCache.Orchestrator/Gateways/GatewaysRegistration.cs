namespace ReactiveCache.Orchestrator.Gateways;

public static class GatewaysRegistration
{
    /// <summary>The gateway links: one gRPC stream per gateway (routes, node, drains out; events, acks in).</summary>
    public static IHostApplicationBuilder AddGatewayLinks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<GatewaySessions>();
        return builder;
    }

    public static IEndpointRouteBuilder MapGatewayLinks(this IEndpointRouteBuilder app)
    {
        app.MapGrpcService<GatewayLinkService>();
        return app;
    }
}
