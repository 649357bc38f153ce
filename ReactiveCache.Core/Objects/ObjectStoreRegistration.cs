using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Aws;

namespace ReactiveCache.Core.Objects;

public static class ObjectStoreRegistration
{
    /// <summary>
    /// Registers <see cref="IObjectStore"/> from the <c>ObjectStore</c> section: a folder or S3.
    /// S3 credentials come from the default AWS credential chain, never from this configuration.
    /// </summary>
    public static TBuilder AddObjectStore<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton<IValidateOptions<ObjectStoreOptions>, ObjectStoreOptionsValidator>();
        builder.Services.AddOptions<ObjectStoreOptions>()
            .BindConfiguration(ObjectStoreOptions.SectionName)
            .ValidateOnStart();

        builder.Services.AddSingleton<IAmazonS3>(sp => CreateS3Client(sp.GetRequiredService<IOptions<ObjectStoreOptions>>().Value));
        builder.Services.AddSingleton<IObjectStore>(sp =>
            sp.GetRequiredService<IOptions<ObjectStoreOptions>>().Value.Kind switch
            {
                ObjectStoreKind.S3 => ActivatorUtilities.CreateInstance<S3ObjectStore>(sp),
                _ => ActivatorUtilities.CreateInstance<FolderObjectStore>(sp),
            });
        return builder;
    }

    public static AmazonS3Client CreateS3Client(ObjectStoreOptions options, AWSCredentials? credentials = null)
    {
        // Retries and timeouts set explicitly, with limits: a failing or hanging S3 costs every caller (gateway,
        // function, orchestrator) a bounded time, never the SDK's defaults (100 s per attempt, legacy retries).
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            RetryMode = options.RetryMode,
            MaxErrorRetry = options.MaxErrorRetry,
            Timeout = TimeSpan.FromMilliseconds(options.AttemptTimeoutMs),
            ConnectTimeout = TimeSpan.FromMilliseconds(options.ConnectTimeoutMs),
        }.UseEndpoint(options.ServiceUrl, options.Region);
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }
}
