using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.IntegrationTests.Infrastructure;

/// <summary>
/// A real S3 API server (npm <c>s3rver</c>, installed into .tools by the test command) on a free
/// loopback port, with a bucket seeded with the sample objects.
/// </summary>
public sealed class S3rver : IAsyncDisposable
{
    public const string Bucket = "reactive-cache-test";

    /// <summary>The only key pair s3rver accepts (it does not check signatures).</summary>
    public static readonly BasicAWSCredentials Credentials = new("S3RVER", "S3RVER");

    private ServerProcess? _server;
    private string? _directory;

    public int Port { get; private set; }

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public ObjectStoreOptions Options => new()
    {
        Kind = ObjectStoreKind.S3,
        Bucket = Bucket,
        ServiceUrl = ServiceUrl,
        ForcePathStyle = true,
        Region = "us-east-1",
    };

    public AmazonS3Client CreateClient() => ObjectStoreRegistration.CreateS3Client(Options, Credentials);

    public async Task StartAsync()
    {
        var bin = Path.Combine(RepoPaths.Tools, "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(bin))
        {
            throw new InvalidOperationException($"s3rver is not installed at {bin}: run the test command (./test.sh), which installs it.");
        }

        _directory = Directory.CreateTempSubdirectory("s3rver-").FullName;
        Port = FreePort.Next();
        _server = await ServerProcess.StartAsync("node", [bin, "-d", _directory, "-a", "127.0.0.1", "-p", Port.ToString(), "--silent"], Port);

        using var client = CreateClient();
        await client.PutBucketAsync(Bucket);
        foreach (var (key, content) in SampleObjects.All)
        {
            await PutAsync(client, key, content);
        }
    }

    /// <summary>Uploads an object. Chunked encoding off: s3rver would store the chunk framing (AWSSDK.S3 4 sends aws-chunked over http; s3rver does not decode it).</summary>
    public static Task PutAsync(IAmazonS3 client, string key, byte[] content, string? contentType = null) =>
        client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            InputStream = new MemoryStream(content),
            ContentType = contentType ?? ContentTypes.ForKey(key),
            UseChunkEncoding = false,
        });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

/// <summary>
/// The test run's one shared s3rver (started by the first class that needs it, killed when the run ends). Tests
/// that add objects use keys of their own.
/// </summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    private static readonly Lazy<Task<S3rver>> Shared = new(() => SharedServers.StartAsync(async () =>
    {
        var server = new S3rver();
        await server.StartAsync();
        return server;
    }));

    private S3rver? _server;

    public const string Bucket = S3rver.Bucket;

    public S3rver Server => _server ?? throw new InvalidOperationException("Not initialized.");

    public int Port => Server.Port;

    public string ServiceUrl => Server.ServiceUrl;

    public ObjectStoreOptions Options => Server.Options;

    public AmazonS3Client CreateClient() => Server.CreateClient();

    public static Task PutAsync(IAmazonS3 client, string key, byte[] content, string? contentType = null) =>
        S3rver.PutAsync(client, key, content, contentType);

    public async Task InitializeAsync() => _server = await Shared.Value;

    public Task DisposeAsync() => Task.CompletedTask;
}
