using Amazon;
using Amazon.EC2;
using Microsoft.Extensions.Options;

namespace ReactiveCache.Orchestrator.CacheNode;

public static class CacheNodeRegistration
{
    /// <summary>Registers <see cref="ICacheNode"/> (local Garnet process or EC2) from the <c>CacheNode</c> section.</summary>
    public static IHostApplicationBuilder AddCacheNode(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CacheNodeOptions>()
            .BindConfiguration(CacheNodeOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate<IHostEnvironment>(
                (options, environment) => options.LoopbackEndpoint is null || environment.IsDevelopment(),
                "CacheNode:LoopbackEndpoint is for tests in the Development environment only.")
            .ValidateOnStart();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IRedisProbe, RedisProbe>();
        builder.Services.AddSingleton<IAmazonEC2>(sp =>
        {
            var region = sp.GetRequiredService<IOptions<CacheNodeOptions>>().Value.Region;
            // Credentials: the default AWS chain (instance role on AWS), never configuration.
            return string.IsNullOrWhiteSpace(region)
                ? new AmazonEC2Client()
                : new AmazonEC2Client(RegionEndpoint.GetBySystemName(region));
        });
        builder.Services.AddSingleton<ICacheNode>(sp =>
            sp.GetRequiredService<IOptions<CacheNodeOptions>>().Value.Kind switch
            {
                CacheNodeKind.Ec2 => ActivatorUtilities.CreateInstance<Ec2CacheNode>(sp),
                _ => ActivatorUtilities.CreateInstance<LocalCacheNode>(sp),
            });
        return builder;
    }
}
