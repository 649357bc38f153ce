using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ReactiveCache.IntegrationTests.Lambda;

namespace ReactiveCache.IntegrationTests.AppHost;

/// <summary>
/// The local run with the folder's watcher off, so that S3's event notification (posted to the orchestrator as S3 would)
/// is what tells it of the change; copies are revalidated only after the default max-age (minutes), far beyond a test.
/// Its cache node keeps its state file apart: AppHosts in one test process would otherwise share it (and one adopt the
/// other's node).
/// </summary>
public sealed class EventOnlyAppHostFixture : AppHostFixture
{
    private readonly DirectoryInfo _nodeState = Directory.CreateTempSubdirectory("event-only-node-");

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        var orchestrator = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "orchestrator");
        builder.CreateResourceBuilder(orchestrator)
            .WithEnvironment("Invalidation__WatchFolder", "false")
            .WithEnvironment("CacheNode__StateDirectory", _nodeState.FullName);
    }
}

/// <summary>
/// An object replaced in the store while it is hot on each layer: until the event the layer may serve the old version,
/// after it every GET returns the new one, and no GET (through either gateway, all along) ever returns a mix of the two
/// or an ETag that is not its body's.
/// </summary>
public sealed class ReplacedObjectTests(EventOnlyAppHostFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<EventOnlyAppHostFixture>
{
    public static TheoryData<string> Layers => ["redis", "lambda", "s3"];

    [Theory]
    [MemberData(nameof(Layers))]
    public async Task An_object_replaced_while_hot_is_served_new_after_the_s3_event_and_never_mixed(string layer)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var key = $"replaced-{layer}.bin";
        VersionReader.Write(fixture, key, VersionReader.Version(1));
        using var orchestrator = fixture.CreateOrchestratorClient();
        using var gateways = new VersionReader(fixture);
        if (layer != "s3")
        {
            using var pinned = await orchestrator.PutAsync($"/routes/{key}?layer={layer}", null, cts.Token);
            Assert.Equal(HttpStatusCode.Accepted, pinned.StatusCode);
        }

        await Eventually.HoldsAsync(async () => await gateways.ServedAsync(key, layer, 1, cts.Token), TimeSpan.FromMinutes(1),
            $"{key} served from {layer}");

        // A reader all along: every answer is one version whole, under that version's ETag.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var reader = gateways.ReadUntilAsync(key, stop.Token);

        VersionReader.Write(fixture, key, VersionReader.Version(2));
        using var notified = await orchestrator.PostAsync("/invalidations",
            new StringContent(S3Notification("ObjectCreated:Put", key), Encoding.UTF8, "text/plain"), cts.Token);
        Assert.Equal(HttpStatusCode.Accepted, notified.StatusCode);
        Assert.Contains(key, await notified.Content.ReadAsStringAsync(cts.Token));

        // Right after the event: the new version from every gateway (S3 at first, while the layer is loaded again).
        await Eventually.HoldsAsync(async () => await gateways.ServedAsync(key, null, 2, cts.Token), TimeSpan.FromSeconds(10),
            $"{key} served new after the event");
        var afterEvent = System.Diagnostics.Stopwatch.GetTimestamp();
        // …and never the old again, while the pin loads the new version onto its layer.
        if (layer != "s3")
        {
            await Eventually.HoldsAsync(async () => await gateways.ServedAsync(key, layer, 2, cts.Token), TimeSpan.FromMinutes(1),
                $"{key} served new from {layer} again");
        }

        await Eventually.HoldsAsync(() => gateways.Seen.Count >= 20, TimeSpan.FromSeconds(30), "the reader read 20 answers");
        await stop.CancelAsync();
        await reader;
        var seen = gateways.Seen.ToArray();
        output.WriteLine(gateways.Describe());
        Assert.DoesNotContain(seen, s => s.Version == 0);
        // A GET that started once both gateways served the new version never gets the old one.
        Assert.DoesNotContain(seen, s => s.Started > afterEvent && s.Version == 1);
        Assert.Contains(seen, s => s.Version == 2);

        if (layer != "s3")
        {
            using var unpinned = await orchestrator.DeleteAsync($"/routes/{key}", cts.Token);
        }
    }

    [Fact]
    public async Task A_notification_that_is_not_json_is_a_400_problem_and_one_without_the_key_a_401()
    {
        using var orchestrator = fixture.CreateOrchestratorClient();
        using var bad = await orchestrator.PostAsync("/invalidations", new StringContent("{\"Records\": [", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);

        orchestrator.DefaultRequestHeaders.Authorization = null;
        using var anonymous = await orchestrator.PostAsync("/invalidations", new StringContent(S3Notification("ObjectCreated:Put", "index.html")));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private static string S3Notification(string eventName, string key) =>
        """{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","eventName":"@name@","s3":{"bucket":{"name":"local"},"object":{"key":"@key@"}}}]}"""
            .Replace("@name@", eventName).Replace("@key@", Uri.EscapeDataString(key));
}

/// <summary>
/// Both gateways, and what their answers were: the version of each body (0: a mix or a wrong ETag; -1: the connection
/// was aborted, which is how a stream whose entry went away mid-body ends, and is no mix).
/// </summary>
internal sealed class VersionReader(AppHostFixture fixture) : IDisposable
{
    private static readonly string[] ETags = ["", Tag(Version(1)), Tag(Version(2))];

    /// <summary>1 MB: several chunks on the node, held whole by the function.</summary>
    public const int Size = 1 << 20;

    /// <summary>1 MB of the version's number: a body that is not all one number is a mix.</summary>
    public static byte[] Version(byte version) => Enumerable.Repeat(version, Size).ToArray();

    /// <summary>Replaced the way a store replaces an object: written beside the folder, renamed over the old one.</summary>
    public static void Write(AppHostFixture fixture, string key, byte[] content)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(fixture.ObjectsFolder)!, $"{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, Path.Combine(fixture.ObjectsFolder, key), overwrite: true);
    }

    /// <summary>What every answer was, with when its request started, for the checks.</summary>
    public string Describe() => $"{Seen.Count} answers: " + string.Join(", ", Seen.GroupBy(s => (s.Version, s.Origin)).OrderBy(g => g.Key)
        .Select(g => $"{g.Count()} × {(g.Key.Version < 0 ? "aborted" : $"v{g.Key.Version}")} from {g.Key.Origin}"));
    private readonly HttpClient[] _clients = [fixture.App.CreateHttpClient("gateway", "http"), fixture.App.CreateHttpClient("gateway-2", "http")];

    public ConcurrentQueue<(int Version, string Origin, long Started)> Seen { get; } = new();

    /// <summary>Whether every gateway answers with <paramref name="version"/>, from <paramref name="layer"/> (any when null).</summary>
    public async Task<bool> ServedAsync(string key, string? layer, int version, CancellationToken cancellationToken)
    {
        foreach (var client in _clients)
        {
            var (seen, origin) = await GetAsync(client, key, cancellationToken);
            if (seen != version || (layer is not null && origin != layer))
            {
                return false;
            }
        }

        return true;
    }

    public async Task ReadUntilAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            for (var i = 0; !cancellationToken.IsCancellationRequested; i++)
            {
                await GetAsync(_clients[i % 2], key, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<(int Version, string? Origin)> GetAsync(HttpClient client, string key, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var response = await client.GetAsync($"/objects/{key}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        byte[] body;
        try
        {
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
        {
            Seen.Enqueue((-1, FunctionFixture.Origin(response) ?? "", started));
            return (-1, FunctionFixture.Origin(response));
        }

        var version = body.Length == Size && body.AsSpan().IndexOfAnyExcept(body[0]) < 0 && body[0] is 1 or 2
                      && response.Headers.ETag?.ToString() == ETags[body[0]]
            ? body[0]
            : 0;
        var origin = FunctionFixture.Origin(response);
        Seen.Enqueue((version, origin ?? "", started));
        return (version, origin);
    }

    private static string Tag(byte[] content) => $"\"{Convert.ToHexStringLower(MD5.HashData(content))}\"";

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}

/// <summary>
/// The local run as the README starts it (the folder's watcher on): a file replaced while its object is hot on the node
/// is served new with no event posted, and never mixed.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class LocalFolderChangeTests(AppHostFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task In_the_local_run_a_file_replaced_while_hot_on_the_node_is_served_new_and_never_mixed()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        const string key = "watched.bin";
        VersionReader.Write(fixture, key, VersionReader.Version(1));
        using var orchestrator = fixture.CreateOrchestratorClient();
        using var gateways = new VersionReader(fixture);
        using var pinned = await orchestrator.PutAsync($"/routes/{key}?layer=redis", null, cts.Token);
        Assert.Equal(HttpStatusCode.Accepted, pinned.StatusCode);
        await Eventually.HoldsAsync(async () => await gateways.ServedAsync(key, "redis", 1, cts.Token), TimeSpan.FromMinutes(2), $"{key} served from redis",
            gateways.Describe);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var reader = gateways.ReadUntilAsync(key, stop.Token);
        VersionReader.Write(fixture, key, VersionReader.Version(2));

        // No event is posted: the orchestrator's watch on the folder takes the same path, and the pin loads the new version.
        await Eventually.HoldsAsync(async () => await gateways.ServedAsync(key, "redis", 2, cts.Token), TimeSpan.FromMinutes(1),
            $"{key} served new from redis", gateways.Describe);
        await Eventually.HoldsAsync(() => gateways.Seen.Count >= 20, TimeSpan.FromSeconds(30), "the reader read 20 answers");
        await stop.CancelAsync();
        await reader;
        output.WriteLine(gateways.Describe());
        Assert.DoesNotContain(gateways.Seen, s => s.Version == 0);
        using var unpinned = await orchestrator.DeleteAsync($"/routes/{key}", cts.Token);
    }
}
