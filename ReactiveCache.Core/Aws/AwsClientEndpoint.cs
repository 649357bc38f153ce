using Amazon;
using Amazon.Runtime;

namespace ReactiveCache.Core.Aws;

/// <summary>Where an AWSSDK client sends its requests: AWS's endpoint of a region, or another endpoint (moto in tests).</summary>
public static class AwsClientEndpoint
{
    /// <summary>
    /// <paramref name="serviceUrl"/> when given (signed for <paramref name="region"/>, <c>us-east-1</c> when none), else
    /// the region's AWS endpoint; with neither, the SDK's own resolution (environment, profile, the instance's region).
    /// </summary>
    public static TConfig UseEndpoint<TConfig>(this TConfig config, string? serviceUrl, string? region) where TConfig : ClientConfig
    {
        if (!string.IsNullOrWhiteSpace(serviceUrl))
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = string.IsNullOrWhiteSpace(region) ? "us-east-1" : region;
        }
        else if (!string.IsNullOrWhiteSpace(region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return config;
    }
}
