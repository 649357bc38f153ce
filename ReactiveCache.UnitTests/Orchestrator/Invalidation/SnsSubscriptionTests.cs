using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ReactiveCache.Orchestrator.Invalidation;

namespace ReactiveCache.UnitTests.Orchestrator.Invalidation;

/// <summary>An SNS subscription is confirmed through SNS's own endpoint only: the URL comes from a request body.</summary>
public sealed class SnsSubscriptionTests
{
    private const string Query = "?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-central-1:111122223333:object-changes&Token=2336412f37fb687f5d51e6e2425";

    [Theory]
    [InlineData("https://sns.eu-central-1.amazonaws.com/" + Query)]
    [InlineData("https://sns.us-east-1.amazonaws.com/" + Query)]
    [InlineData("https://sns.us-gov-west-1.amazonaws.com/" + Query)]
    [InlineData("https://sns.cn-north-1.amazonaws.com.cn/" + Query)]
    public void SNSs_confirmation_endpoint_is_accepted(string url) =>
        Assert.True(SnsSubscription.IsSnsSubscribeUrl(url, out _));

    [Theory]
    [InlineData("http://sns.eu-central-1.amazonaws.com/" + Query)]                 // not HTTPS
    [InlineData("https://sns.eu-central-1.amazonaws.com:8443/" + Query)]           // another port
    [InlineData("https://sns.eu-central-1.amazonaws.com.attacker.example/" + Query)] // a suffix of AWS's name
    [InlineData("https://attacker.example/sns.eu-central-1.amazonaws.com/" + Query)]
    [InlineData("https://sns.eu-central-1.amazonaws.com@attacker.example/" + Query)] // user information: the host is the attacker's
    [InlineData("https://user:pass@sns.eu-central-1.amazonaws.com/" + Query)]
    [InlineData("https://169.254.169.254/" + Query)]                                // an address
    [InlineData("https://[::1]/" + Query)]
    [InlineData("https://sqs.eu-central-1.amazonaws.com/" + Query)]                 // another AWS service
    [InlineData("https://sns.amazonaws.com/" + Query)]                              // no region
    [InlineData("https://sns.eu-central-1.amazonaws.com/other/path" + Query)]
    [InlineData("https://sns.eu-central-1.amazonaws.com/?Action=Publish&TopicArn=x")]
    [InlineData("/relative" + Query)]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_refused(string? url) =>
        Assert.False(SnsSubscription.IsSnsSubscribeUrl(url, out _));

    [Fact]
    public async Task A_confirmation_fetches_SNSs_url_and_a_foreign_url_is_never_requested()
    {
        var handler = new RecordingHandler();
        var subscription = new SnsSubscription(new Clients(handler), NullLogger<SnsSubscription>.Instance);
        var good = "https://sns.eu-central-1.amazonaws.com/" + Query;

        Assert.True(await subscription.ConfirmAsync(good, CancellationToken.None));
        Assert.False(await subscription.ConfirmAsync("http://127.0.0.1:9/" + Query, CancellationToken.None));
        Assert.False(await subscription.ConfirmAsync("https://sns.eu-central-1.amazonaws.com.attacker.example/" + Query, CancellationToken.None));

        Assert.Equal([new Uri(good)], handler.Requested);
    }

    [Fact]
    public void The_parser_hands_over_the_SubscribeURL_of_a_confirmation_direct_or_inside_SQS()
    {
        var confirmation = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["Type"] = "SubscriptionConfirmation",
            ["MessageId"] = "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
            ["Token"] = "2336412f37fb687f5d51e6e2425",
            ["TopicArn"] = "arn:aws:sns:eu-central-1:111122223333:object-changes",
            ["Message"] = "You have chosen to subscribe to the topic. To confirm the subscription, visit the SubscribeURL included in this message.",
            ["SubscribeURL"] = "https://sns.eu-central-1.amazonaws.com/" + Query,
        });
        var inSqs = JsonSerializer.Serialize(new { Records = new[] { new Dictionary<string, string> { ["eventSource"] = "aws:sqs", ["body"] = confirmation } } });

        foreach (var body in new[] { confirmation, inSqs })
        {
            Assert.True(S3EventNotification.TryParse(Encoding.UTF8.GetBytes(body), out var changes, out var subscribeUrl, out var error), error);
            Assert.Empty(changes);
            Assert.Equal("https://sns.eu-central-1.amazonaws.com/" + Query, subscribeUrl);
        }
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<Uri> Requested { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requested.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<ConfirmSubscriptionResponse/>") });
        }
    }

    private sealed class Clients(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }
}
