namespace ReactiveCache.Orchestrator.Gateways;

public static class GatewaysRegistration
{
    /// <summary>The gateway links: one gRPC stream per gateway (routes, node, drains out; events, acks in).</summary>
    public static IHostApplicationBuilder AddGatewayLinks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayLinkOptions>()
            .BindConfiguration(GatewayLinkOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<GatewaySessions>();
        return builder;
    }

    public static IEndpointRouteBuilder MapGatewayLinks(this IEndpointRouteBuilder app)
    {
        // The link authenticates itself (GatewayLinkHandshake), not with the control API's key.
        app.MapGrpcService<GatewayLinkService>().AllowAnonymous();
        app.MapGet("/gateways", (GatewaySessions sessions) =>
                TypedResults.Ok(new GatewaysView(sessions.ConnectedGateways, sessions.Routes.Version, sessions.Drains)))
            .RequireAuthorization(Control.ControlApiAccess.ReadPolicy)
            .WithTags("Gateways")
            .WithName("GetGateways")
            .WithSummary("Connected gateways, the current route version, and every drain with each gateway's ack.");
        return app;
    }

    public sealed record GatewaysView(IReadOnlyList<string> Connected, ulong RouteVersion, IReadOnlyList<GatewaySessions.DrainRecord> Drains);
}
