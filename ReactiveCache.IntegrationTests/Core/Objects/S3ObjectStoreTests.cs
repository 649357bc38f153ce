using Microsoft.Extensions.Options;
using ReactiveCache.Core.Objects;
using ReactiveCache.IntegrationTests.Infrastructure;

namespace ReactiveCache.IntegrationTests.Core.Objects;

/// <summary>The S3 store against a real S3 API server (s3rver).</summary>
public sealed class S3ObjectStoreTests : ObjectStoreContract, IClassFixture<S3rverFixture>, IDisposable
{
    private readonly S3rverFixture _s3;
    private readonly Amazon.S3.AmazonS3Client _client;

    public S3ObjectStoreTests(S3rverFixture s3)
    {
        _s3 = s3;
        _client = s3.CreateClient();
        Store = new S3ObjectStore(_client, Microsoft.Extensions.Options.Options.Create(s3.Options));
    }

    protected override IObjectStore Store { get; }

    [Fact]
    public async Task Content_type_comes_from_S3()
    {
        await S3rverFixture.PutAsync(_client, "data/report.bin", [1, 2, 3], "application/x-custom");

        var metadata = await Store.GetMetadataAsync("data/report.bin");

        Assert.Equal("application/x-custom", metadata!.ContentType);
    }

    [Fact]
    public async Task A_missing_bucket_is_an_error_not_a_missing_key()
    {
        var store = new S3ObjectStore(_client, Options.Create(new ObjectStoreOptions { Kind = ObjectStoreKind.S3, Bucket = "no-such-bucket" }));

        var failure = await Assert.ThrowsAsync<ObjectStoreException>(() => store.GetAsync("index.html"));
        Assert.Equal(ObjectStoreFailure.Rejected, failure.Failure);
        Assert.Equal("NoSuchBucket", failure.ErrorCode);
    }

    public void Dispose() => _client.Dispose();
}
