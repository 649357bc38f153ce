using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.UnitTests.Core.Objects;

/// <summary>
/// How <see cref="S3ObjectStore"/> tells S3's answers apart: a missing key is <c>null</c> (the gateway's 404),
/// everything else an <see cref="ObjectStoreException"/> of its kind. The SDK runs for real; its HTTP client's
/// handler answers as S3 would (no network).
/// </summary>
public sealed class S3ErrorMappingTests
{
    private static S3ObjectStore StoreAnswering(HttpStatusCode status, string? code)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = "http://127.0.0.1:9", // never dialled: the handler answers
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
            HttpClientFactory = new StubClientFactory(status, code),
        };
        var options = Options.Create(new ObjectStoreOptions { Kind = ObjectStoreKind.S3, Bucket = "bucket" });
        return new S3ObjectStore(new AmazonS3Client(new BasicAWSCredentials("test", "test"), config), options);
    }

    [Fact]
    public async Task NoSuchKey_is_a_missing_object_on_get_and_on_head()
    {
        var store = StoreAnswering(HttpStatusCode.NotFound, "NoSuchKey");

        Assert.Null(await store.GetAsync("missing.bin"));
        Assert.Null(await store.GetMetadataAsync("missing.bin"));
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied", ObjectStoreFailure.AccessDenied)]
    [InlineData(HttpStatusCode.Forbidden, "InvalidAccessKeyId", ObjectStoreFailure.AccessDenied)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", ObjectStoreFailure.Unavailable)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "SlowDown", ObjectStoreFailure.Unavailable)]
    [InlineData(HttpStatusCode.NotFound, "NoSuchBucket", ObjectStoreFailure.Rejected)]
    public async Task Other_errors_are_failures_of_their_kind(HttpStatusCode status, string code, ObjectStoreFailure expected)
    {
        var store = StoreAnswering(status, code);

        var failure = await Assert.ThrowsAsync<ObjectStoreException>(() => store.GetAsync("key.bin"));
        Assert.Equal(expected, failure.Failure);
        Assert.Equal(code, failure.ErrorCode);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, ObjectStoreFailure.AccessDenied)]
    [InlineData(HttpStatusCode.InternalServerError, ObjectStoreFailure.Unavailable)]
    public async Task A_head_error_without_a_body_is_told_apart_by_its_status(HttpStatusCode status, ObjectStoreFailure expected)
    {
        var store = StoreAnswering(status, code: null);

        var failure = await Assert.ThrowsAsync<ObjectStoreException>(() => store.GetMetadataAsync("key.bin"));
        Assert.Equal(expected, failure.Failure);
    }

    [Fact]
    public void A_timeout_of_the_sdk_is_a_timeout_but_the_callers_own_cancellation_stays_a_cancellation()
    {
        var sdkTimeout = new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout", new TimeoutException());

        Assert.Equal(ObjectStoreFailure.Timeout, S3ObjectStore.Classify(sdkTimeout, "k", CancellationToken.None)?.Failure);
        Assert.Null(S3ObjectStore.Classify(new OperationCanceledException(), "k", new CancellationToken(canceled: true)));
        Assert.Equal(ObjectStoreFailure.Unavailable, S3ObjectStore.Classify(new HttpRequestException("connection refused"), "k", CancellationToken.None)?.Failure);
        Assert.Null(S3ObjectStore.Classify(new InvalidOperationException(), "k", CancellationToken.None));
    }

    [Fact]
    public void Retry_mode_attempts_and_timeouts_are_set_on_the_client()
    {
        using var client = ObjectStoreRegistration.CreateS3Client(
            new ObjectStoreOptions { Kind = ObjectStoreKind.S3, Bucket = "b", ServiceUrl = "http://127.0.0.1:9", RetryMode = RequestRetryMode.Adaptive, MaxErrorRetry = 1, AttemptTimeoutMs = 1_500, ConnectTimeoutMs = 300 },
            new BasicAWSCredentials("test", "test"));

        Assert.Equal(RequestRetryMode.Adaptive, client.Config.RetryMode);
        Assert.Equal(1, client.Config.MaxErrorRetry);
        Assert.Equal(TimeSpan.FromMilliseconds(1_500), client.Config.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(300), ((ClientConfig)client.Config).ConnectTimeout);
    }

    [Fact]
    public void Retry_and_timeout_settings_out_of_bounds_fail_validation()
    {
        var result = new ObjectStoreOptionsValidator().Validate(null, new ObjectStoreOptions
        {
            Kind = ObjectStoreKind.S3, Bucket = "b", MaxErrorRetry = 50, AttemptTimeoutMs = 10, ConnectTimeoutMs = 5,
        });

        Assert.True(result.Failed);
        Assert.Contains("ObjectStore:MaxErrorRetry", result.FailureMessage);
        Assert.Contains("ObjectStore:AttemptTimeoutMs", result.FailureMessage);
        Assert.Contains("ObjectStore:ConnectTimeoutMs", result.FailureMessage);
    }

    /// <summary>An HTTP client whose every answer is one S3 error (with S3's XML body, when there is a code).</summary>
    private sealed class StubClientFactory(HttpStatusCode status, string? code) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Answer(status, code));

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;

        private sealed class Answer(HttpStatusCode status, string? code) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var response = new HttpResponseMessage(status) { RequestMessage = request };
                response.Content = code is null || request.Method == HttpMethod.Head
                    ? new ByteArrayContent([])
                    : new StringContent($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>stub</Message><RequestId>1</RequestId></Error>",
                        Encoding.UTF8, "application/xml");
                return Task.FromResult(response);
            }
        }
    }
}
