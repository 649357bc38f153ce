using Amazon.S3;
using Amazon.S3.Model;
using ReactiveCache.Core.Objects;
using ReactiveCache.IntegrationTests.Infrastructure;

namespace ReactiveCache.IntegrationTests.Core.Objects;

/// <summary>A moto server of its own whose S3 checks every SigV4 signature, seeded with the sample objects.</summary>
public sealed class MotoS3Fixture : IAsyncLifetime
{
    public const string Bucket = "reactive-cache-moto";

    private MotoServer? _moto;

    public ObjectStoreOptions Options => new()
    {
        Kind = ObjectStoreKind.S3,
        Bucket = Bucket,
        ServiceUrl = _moto!.Url,
        ForcePathStyle = true,
        Region = "us-east-1",
    };

    public AmazonS3Client CreateClient() => ObjectStoreRegistration.CreateS3Client(Options, _moto!.Credentials);

    public async Task InitializeAsync()
    {
        _moto = await MotoServer.StartAsync();
        await _moto.CheckSignaturesAsync();
        using var client = CreateClient();
        await client.PutBucketAsync(Bucket);
        foreach (var (key, content) in SampleObjects.All)
        {
            await client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = Bucket,
                Key = key,
                InputStream = new MemoryStream(content),
                ContentType = ContentTypes.ForKey(key),
            });
        }
    }

    public async Task DisposeAsync()
    {
        if (_moto is not null)
        {
            await _moto.DisposeAsync();
        }
    }
}

/// <summary>The S3 store's contract against moto's S3, which (unlike s3rver) verifies request signatures.</summary>
public sealed class S3ObjectStoreMotoTests : ObjectStoreContract, IClassFixture<MotoS3Fixture>, IDisposable
{
    private readonly AmazonS3Client _client;

    public S3ObjectStoreMotoTests(MotoS3Fixture moto)
    {
        _client = moto.CreateClient();
        Store = new S3ObjectStore(_client, Microsoft.Extensions.Options.Options.Create(moto.Options));
    }

    protected override IObjectStore Store { get; }

    public void Dispose() => _client.Dispose();
}
