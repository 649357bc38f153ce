using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ReactiveCache.IntegrationTests.Orchestrator;

/// <summary>
/// The real orchestrator over a folder store holding an object over a function limit and a node size both set to
/// 64 KiB (explicitly: the defaults are hundreds of MB): a pin of it to either layer is refused with 409 problem+json
/// (not carried out), and <c>/state</c> shows its size and the layers it is too large for. A small object pins as before.
/// </summary>
public sealed class SizeLimitApiTests : IDisposable
{
    private const int Limit = 64 * 1024;
    private const int BigBytes = Limit + 1;
    private readonly string _root = Directory.CreateTempSubdirectory("size-limits-").FullName;
    private readonly OrchestratorFactory _factory;

    public SizeLimitApiTests()
    {
        File.WriteAllBytes(Path.Combine(_root, "big.bin"), new byte[BigBytes]);
        File.WriteAllBytes(Path.Combine(_root, "small.bin"), new byte[1024]);
        _factory = new OrchestratorFactory(settings: new Dictionary<string, string?>
        {
            ["ObjectStore:Kind"] = "Folder",
            ["ObjectStore:Root"] = _root,
            ["SizeLimits:FunctionMaxBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SizeLimits:NodeMaxBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Engine:ReconcileWindow"] = "00:00:00", // no gateway will report: the policy loop starts at once
        });
    }

    [Fact]
    public async Task A_pin_of_a_too_large_key_is_refused_and_state_shows_its_size_and_the_layers_it_is_too_large_for()
    {
        using var client = _factory.Client(OrchestratorFactory.OperatorKey);

        using var toLambda = await client.PutAsync("/routes/big.bin?layer=lambda", content: null);
        using var toRedis = await client.PutAsync("/routes/big.bin?layer=redis", content: null);
        await AssertConflictAsync(toLambda);
        await AssertConflictAsync(toRedis);

        // S3 takes anything; a small key pins to Lambda as before.
        using var toS3 = await client.PutAsync("/routes/big.bin?layer=s3", content: null);
        using var small = await client.PutAsync("/routes/small.bin?layer=lambda", content: null);
        Assert.Equal(HttpStatusCode.Accepted, toS3.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, small.StatusCode);

        JsonElement view = default;
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await client.GetAsync("/state/big.bin");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            view = await response.Content.ReadFromJsonAsync<JsonElement>();
            return view.TryGetProperty("pinned", out var pinned) && pinned.ValueKind == JsonValueKind.String;
        }, TimeSpan.FromSeconds(10), "the pin to S3 shows in /state");

        Assert.Equal("s3", view.GetProperty("pinned").GetString());
        Assert.Equal("s3", view.GetProperty("route").GetString());
        Assert.Equal(BigBytes, view.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(new[] { "lambda", "redis" }, view.GetProperty("tooLargeFor").EnumerateArray().Select(l => l.GetString()));

        var page = await client.GetFromJsonAsync<JsonElement>("/state");
        var listed = page.GetProperty("objects").EnumerateArray().Single(o => o.GetProperty("key").GetString() == "big.bin");
        Assert.Equal(BigBytes, listed.GetProperty("sizeBytes").GetInt64());
    }

    [Fact]
    public async Task By_default_a_function_takes_an_object_over_lambdas_6_MB_response_cap()
    {
        // The function serves through its tunnel, not its invocation's response: only its memory limits it (448 MiB at 1024 MB).
        File.WriteAllBytes(Path.Combine(_root, "seven.bin"), new byte[7 * 1024 * 1024]);
        using var factory = new OrchestratorFactory(settings: new Dictionary<string, string?>
        {
            ["ObjectStore:Kind"] = "Folder",
            ["ObjectStore:Root"] = _root,
            ["Engine:ReconcileWindow"] = "00:00:00",
        });
        using var client = factory.Client(OrchestratorFactory.OperatorKey);

        using var toLambda = await client.PutAsync("/routes/seven.bin?layer=lambda", content: null);

        Assert.Equal(HttpStatusCode.Accepted, toLambda.StatusCode);
    }

    [Fact]
    public void A_function_limit_above_the_functions_memory_is_refused_at_start()
    {
        using var factory = new OrchestratorFactory(settings: new Dictionary<string, string?>
        {
            ["ObjectStore:Kind"] = "Folder",
            ["ObjectStore:Root"] = _root,
            ["SizeLimits:FunctionMemoryMb"] = "512",
            ["SizeLimits:FunctionMaxBytes"] = (513L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("FunctionMaxBytes", failure.ToString());
    }

    public void Dispose()
    {
        _factory.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static async Task AssertConflictAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("limit", problem.GetProperty("detail").GetString());
    }
}
