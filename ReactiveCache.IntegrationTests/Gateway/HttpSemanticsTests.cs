using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Domain;

namespace ReactiveCache.IntegrationTests.Gateway;

/// <summary>The object API's HTTP semantics, asserted on every layer (s3rver, redis-server, a function).</summary>
public sealed class HttpSemanticsTests : IClassFixture<SharedGatewayServers>, IAsyncLifetime
{
    private const string Key = "1KB.txt";
    private static readonly byte[] Content = SampleObjects.All[Key];

    private readonly GatewayServers _servers;
    private readonly FakeLambdaLayer _lambda = new();
    private readonly GatewayFactory _gateway;
    private readonly HttpClient _client;

    public HttpSemanticsTests(SharedGatewayServers servers)
    {
        _servers = servers;
        _gateway = new GatewayFactory(servers.S3, cacheNodeEndpoint: servers.RedisEndpoint, lambda: _lambda);
        _client = _gateway.CreateClient();
    }

    public async Task InitializeAsync()
    {
        await _servers.LoadIntoRedisAsync(Key, "index.html", "1MB.txt");
        _lambda.Hold(await _servers.MetadataAsync(Key), Content);
    }

    public static TheoryData<CacheLayer> Layers => [CacheLayer.S3, CacheLayer.Lambda, CacheLayer.Redis];

    [Theory]
    [MemberData(nameof(Layers))]
    public async Task Get_answers_200_with_the_bytes_etag_type_length_and_origin(CacheLayer layer)
    {
        await RouteAsync(layer);

        using var response = await _client.GetAsync($"/objects/{Key}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(layer.ToName(), Origin(response));
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((await _servers.MetadataAsync(Key)).ETag, response.Headers.ETag?.ToString());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Content.Length, response.Content.Headers.ContentLength);
        Assert.Equal("bytes", string.Join(",", response.Headers.AcceptRanges));
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public async Task Head_answers_headers_without_body(CacheLayer layer)
    {
        await RouteAsync(layer);

        using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/objects/{Key}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(layer.ToName(), Origin(response));
        Assert.Equal(Content.Length, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public async Task If_none_match_with_the_current_etag_answers_304(CacheLayer layer)
    {
        await RouteAsync(layer);
        var etag = (await _servers.MetadataAsync(Key)).ETag;

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/objects/{Key}");
        request.Headers.TryAddWithoutValidation("If-None-Match", $"\"other\", {etag}");
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(layer.ToName(), Origin(response));
        Assert.Equal(etag, response.Headers.ETag?.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());

        using var stale = new HttpRequestMessage(HttpMethod.Get, $"/objects/{Key}");
        stale.Headers.TryAddWithoutValidation("If-None-Match", "\"stale\"");
        using var full = await _client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
    }

    [Theory]
    [InlineData(CacheLayer.S3, "bytes=10-19", 10, 19)]
    [InlineData(CacheLayer.Lambda, "bytes=10-19", 10, 19)]
    [InlineData(CacheLayer.Redis, "bytes=10-19", 10, 19)]
    [InlineData(CacheLayer.S3, "bytes=1000-", 1000, 1023)]
    [InlineData(CacheLayer.Redis, "bytes=1000-", 1000, 1023)]
    [InlineData(CacheLayer.S3, "bytes=-24", 1000, 1023)]
    [InlineData(CacheLayer.Redis, "bytes=-24", 1000, 1023)]
    [InlineData(CacheLayer.Lambda, "bytes=-24", 1000, 1023)]
    [InlineData(CacheLayer.Redis, "bytes=1020-5000", 1020, 1023)]
    public async Task A_single_range_answers_206_with_content_range(CacheLayer layer, string range, int from, int to)
    {
        await RouteAsync(layer);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/objects/{Key}");
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(layer.ToName(), Origin(response));
        Assert.Equal($"bytes {from}-{to}/{Content.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(Content[from..(to + 1)], await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public async Task An_unsatisfiable_range_answers_416_problem(CacheLayer layer)
    {
        await RouteAsync(layer);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/objects/{Key}");
        request.Headers.TryAddWithoutValidation("Range", "bytes=5000-6000");
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal(layer.ToName(), Origin(response));
        Assert.Equal($"bytes */{Content.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public async Task A_later_range_read_with_if_match_gets_its_version_or_412_problem_never_another_versions_bytes(CacheLayer layer)
    {
        await RouteAsync(layer);
        var etag = (await _servers.MetadataAsync(Key)).ETag;

        using var current = new HttpRequestMessage(HttpMethod.Get, $"/objects/{Key}");
        current.Headers.TryAddWithoutValidation("Range", "bytes=10-19");
        current.Headers.TryAddWithoutValidation("If-Match", etag);
        using var part = await _client.SendAsync(current);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(Content[10..20], await part.Content.ReadAsByteArrayAsync());

        // The first answer came from a version the store no longer has: the client learns it, and gets no byte.
        using var stale = new HttpRequestMessage(HttpMethod.Get, $"/objects/{Key}");
        stale.Headers.TryAddWithoutValidation("Range", "bytes=10-19");
        stale.Headers.TryAddWithoutValidation("If-Match", "\"an-earlier-version\"");
        using var refused = await _client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        Assert.Equal(layer.ToName(), Origin(refused));
        Assert.Equal(etag, refused.Headers.ETag?.ToString());
        if (layer != CacheLayer.Lambda)
        {
            // The function answers with an empty body (as for 416); the gateway's own layers say why.
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Several_ranges_are_ignored_and_the_whole_object_is_sent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/objects/{Key}");
        request.Headers.TryAddWithoutValidation("Range", "bytes=0-1,5-6");
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_missing_key_answers_404_problem()
    {
        using var response = await _client.GetAsync("/objects/no/such/object.txt");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_node_key_that_is_not_an_entry_of_the_layout_is_a_miss_not_a_node_failure()
    {
        // A string under an entry key (another program's value, or an entry of the first layout): HGET answers WRONGTYPE.
        await using (var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_servers.Redis.ConnectionString))
        {
            await redis.GetDatabase().StringSetAsync(global::ReactiveCache.Core.Caching.CacheEntryLayout.EntryKey("string-entry.txt"), "not a hash");
        }

        _gateway.Route("string-entry.txt", CacheLayer.Redis);
        _gateway.Route(Key, CacheLayer.Redis);
        for (var i = 0; i < 20; i++)
        {
            using var miss = await _client.GetAsync("/objects/string-entry.txt");
            Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
            Assert.Equal("s3", Origin(miss));
        }

        // The node's circuit stayed closed: a real entry is still served by it.
        using var response = await _client.GetAsync($"/objects/{Key}");
        Assert.Equal("redis", Origin(response));
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_HEAD_or_a_revalidation_on_redis_reads_the_header_field_alone_not_the_first_chunk()
    {
        // An entry whose field "0" (header and first 256 KiB) is gone: only a request that reads it can notice.
        const string key = "header-only.bin";
        var metadata = new global::ReactiveCache.Core.Objects.ObjectMetadata(key, 100_000, "\"h1\"", "application/octet-stream", DateTimeOffset.UnixEpoch);
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_servers.Redis.ConnectionString);
        await global::ReactiveCache.Core.Caching.CacheEntryLayout.StoreAsync(redis.GetDatabase(), metadata, new byte[100_000]);
        await redis.GetDatabase().HashDeleteAsync(global::ReactiveCache.Core.Caching.CacheEntryLayout.EntryKey(key), global::ReactiveCache.Core.Caching.CacheEntryLayout.FirstField);
        _gateway.Route(key, CacheLayer.Redis);
        try
        {
            using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/objects/{key}"));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal("redis", Origin(head));
            Assert.Equal(100_000, head.Content.Headers.ContentLength);

            using var revalidation = new HttpRequestMessage(HttpMethod.Get, $"/objects/{key}");
            revalidation.Headers.TryAddWithoutValidation("If-None-Match", "\"h1\"");
            using var notModified = await _client.SendAsync(revalidation);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Equal("redis", Origin(notModified));
        }
        finally
        {
            await global::ReactiveCache.Core.Caching.CacheEntryLayout.RemoveAsync(redis.GetDatabase(), key);
        }
    }

    [Fact]
    public async Task A_missing_key_routed_to_redis_falls_back_and_answers_404()
    {
        _gateway.Route("gone.txt", CacheLayer.Redis);

        using var response = await _client.GetAsync("/objects/gone.txt");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("s3", Origin(response));
    }

    [Theory]
    [InlineData("/objects/a//b.txt", ObjectKey.RuleEmptySegment)]
    [InlineData("/objects/a/b/", ObjectKey.RuleEmptySegment)]
    [InlineData("/objects/", ObjectKey.RuleLength)]
    [InlineData("/objects/a%01b", ObjectKey.RuleControlCharacter)]
    public async Task An_invalid_key_answers_400_problem_naming_the_rule(string path, string rule)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(rule, problem.RootElement.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_key_over_1024_bytes_answers_400()
    {
        using var response = await _client.GetAsync("/objects/" + new string('k', 1025));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(ObjectKey.RuleLength, problem.RootElement.GetProperty("rule").GetString());
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Other_methods_answer_405_with_allow(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/objects/{Key}") { Content = new ByteArrayContent([1]) };
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_failing_function_falls_back_to_s3_without_a_client_error()
    {
        const string key = "100B.txt"; // not on the cache node
        _lambda.Hold(await _servers.MetadataAsync(key), SampleObjects.All[key]);
        _gateway.Route(key, CacheLayer.Lambda);
        _lambda.FailBeforeFirstByte = true;

        using var response = await _client.GetAsync($"/objects/{key}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("s3", Origin(response));
        Assert.Equal(SampleObjects.All[key], await response.Content.ReadAsByteArrayAsync());
        Assert.True(_lambda.Calls > 0);
    }

    [Fact]
    public async Task A_lambda_route_no_function_answers_is_served_by_the_node_when_it_holds_the_key()
    {
        // The switch to Redis: the function has shut down, the route delta has not arrived yet.
        await RouteAsync(CacheLayer.Redis);
        await RouteAsync(CacheLayer.Lambda);
        _lambda.FailBeforeFirstByte = true;
        var s3Reads = _gateway.Store.Gets;

        using var response = await _client.GetAsync($"/objects/{Key}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("redis", Origin(response));
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync());
        Assert.True(_lambda.Calls > 0);
        Assert.Equal(s3Reads, _gateway.Store.Gets);
    }

    [Theory]
    [InlineData(null, 0, 1024 * 1024 - 1)]
    [InlineData("bytes=100000-300000", 100000, 300000)]
    [InlineData("bytes=-70000", 1024 * 1024 - 70000, 1024 * 1024 - 1)]
    [InlineData("bytes=65000-140000", 65000, 140000)] // from the first field (header and body) across two chunk fields
    [InlineData("bytes=131072-131073", 131072, 131073)] // two bytes inside one chunk field
    public async Task Objects_larger_than_a_chunk_stream_from_redis_byte_exact(string? range, int from, int to)
    {
        const string key = "1MB.txt";
        _gateway.Route(key, CacheLayer.Redis);
        await RouteAsync(CacheLayer.Redis);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/objects/{key}");
        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }

        using var response = await _client.SendAsync(request);

        Assert.Equal(range is null ? HttpStatusCode.OK : HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("redis", Origin(response));
        Assert.Equal(SampleObjects.All[key][from..(to + 1)], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_redis_miss_goes_down_the_chain_to_the_function_then_to_s3()
    {
        const string key = "100B.txt"; // not on the cache node
        _lambda.Hold(await _servers.MetadataAsync(key), SampleObjects.All[key]);
        _gateway.Route(key, CacheLayer.Redis);
        await RouteAsync(CacheLayer.Redis);

        using (var response = await _client.GetAsync($"/objects/{key}"))
        {
            Assert.Equal("lambda", Origin(response));
            Assert.Equal(SampleObjects.All[key], await response.Content.ReadAsByteArrayAsync());
        }

        _lambda.FailBeforeFirstByte = true;
        using (var response = await _client.GetAsync($"/objects/{key}"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("s3", Origin(response));
            Assert.Equal(SampleObjects.All[key], await response.Content.ReadAsByteArrayAsync());
        }
    }

    private async Task RouteAsync(CacheLayer layer)
    {
        _gateway.Route(Key, layer);
        if (layer == CacheLayer.Redis)
        {
            // The multiplexer connects in the background on start: wait for it (bounded).
            await Eventually.HoldsAsync(() => _gateway.Services.GetService(typeof(ReactiveCache.Gateway.CacheNode.CacheNodeConnection))
                is ReactiveCache.Gateway.CacheNode.CacheNodeConnection { Current.Connected: true }, TimeSpan.FromSeconds(10), "cache node connected");
        }
    }

    private static string? Origin(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Content-Origin", out var values) ? values.Single() : null;

    public Task DisposeAsync()
    {
        _client.Dispose();
        return _gateway.DisposeAsync().AsTask();
    }
}
