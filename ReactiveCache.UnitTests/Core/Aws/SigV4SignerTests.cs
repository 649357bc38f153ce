using Microsoft.AspNetCore.Http;
using ReactiveCache.Core.Aws;
using ReactiveCache.Core.Functions;

namespace ReactiveCache.UnitTests.Core.Aws;

/// <summary>
/// AWS's published Signature Version 4 test suite (aws-sig-v4-test-suite): credentials AKIDEXAMPLE,
/// region us-east-1, service "service", 2015-08-30T12:36:00Z; expected forms as published.
/// </summary>
public sealed class SigV4SignerTests
{
    private static readonly SigV4Credentials Credentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly DateTimeOffset Date = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    [Fact]
    public void Get_vanilla()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");

        var signed = SigV4Signer.Sign(request, [], Credentials, "us-east-1", "service", Date);

        Assert.Equal(
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            signed.CanonicalRequest);
        Assert.Equal(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" +
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            signed.StringToSign);
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, " +
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            signed.Authorization);
        Assert.Equal(signed.Authorization, request.Headers.GetValues("Authorization").Single());
    }

    [Fact]
    public void Post_vanilla()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");

        var signed = SigV4Signer.Sign(request, [], Credentials, "us-east-1", "service", Date);

        Assert.Equal(
            "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            signed.CanonicalRequest);
        Assert.Equal(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" +
            "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
            signed.StringToSign);
        Assert.Equal("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b", signed.Signature);
    }

    [Fact]
    public void Get_vanilla_query_order_key_case()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/?Param2=value2&Param1=value1");

        var signed = SigV4Signer.Sign(request, [], Credentials, "us-east-1", "service", Date);

        Assert.StartsWith("GET\n/\nParam1=value1&Param2=value2\n", signed.CanonicalRequest);
        Assert.Equal("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500", signed.Signature);
    }

    [Fact]
    public void A_session_token_is_signed_and_sent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://lambda.eu-central-1.amazonaws.com/2015-03-31/functions/f/invocations");

        var signed = SigV4Signer.Sign(request, "{}"u8, Credentials with { SessionToken = "token" }, "eu-central-1", "lambda", Date);

        Assert.Equal("token", request.Headers.GetValues("X-Amz-Security-Token").Single());
        Assert.Contains("SignedHeaders=host;x-amz-date;x-amz-security-token,", signed.Authorization);
        Assert.EndsWith("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", signed.CanonicalRequest);
    }

    [Fact]
    public void A_signed_request_verifies_with_the_same_key_pair()
    {
        var (request, body) = SignedInvoke(Credentials);
        using (request)
        {
            Assert.Null(Verify(request, body, Credentials, Date.AddMinutes(1)));
        }
    }

    [Fact]
    public void A_wrong_secret_is_refused()
    {
        var (request, body) = SignedInvoke(Credentials with { SecretKey = "not-the-secret" });
        using (request)
        {
            Assert.NotNull(Verify(request, body, Credentials, Date));
        }
    }

    [Fact]
    public void A_changed_body_is_refused()
    {
        var (request, _) = SignedInvoke(Credentials);
        using (request)
        {
            Assert.NotNull(Verify(request, "{\"keys\":[\"other\"]}"u8.ToArray(), Credentials, Date));
        }
    }

    [Fact]
    public void Another_key_id_is_refused()
    {
        var (request, body) = SignedInvoke(Credentials with { AccessKey = "AKIDOTHER" });
        using (request)
        {
            Assert.Equal("The access key is not known.", Verify(request, body, Credentials, Date));
        }
    }

    [Fact]
    public void A_signature_older_than_the_allowed_skew_is_refused()
    {
        var (request, body) = SignedInvoke(Credentials);
        using (request)
        {
            Assert.StartsWith("Signature expired", Verify(request, body, Credentials, Date + SigV4Verifier.MaxSkew + TimeSpan.FromSeconds(1)));
        }
    }

    [Fact]
    public void An_unsigned_request_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:5000/2015-03-31/functions/f/invocations");

        Assert.NotNull(Verify(request, [], Credentials, Date));
    }

    private static (HttpRequestMessage Request, byte[] Body) SignedInvoke(SigV4Credentials credentials)
    {
        var body = "{\"keys\":[\"index.html\"]}"u8.ToArray();
        var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:5000/2015-03-31/functions/reactive-cache-function/invocations?Qualifier=%24LATEST")
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Amz-Invocation-Type", "RequestResponse");
        SigV4Signer.Sign(request, body, credentials, LambdaInvokeApi.EmulatorRegion, LambdaInvokeApi.Service, Date);
        return (request, body);
    }

    /// <summary>The receiving side (the emulator's check), reading the request as a server gets it.</summary>
    private static string? Verify(HttpRequestMessage request, byte[] body, SigV4Credentials credentials, DateTimeOffset now)
    {
        var uri = request.RequestUri!;
        var context = new DefaultHttpContext();
        context.Request.Method = request.Method.Method;
        context.Request.Path = uri.AbsolutePath;
        context.Request.QueryString = new QueryString(uri.Query);
        foreach (var header in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            context.Request.Headers[header.Key] = header.Value.ToArray();
        }

        return SigV4Verifier.Verify(context.Request, body, credentials, LambdaInvokeApi.EmulatorRegion, LambdaInvokeApi.Service, now);
    }
}
