using ReactiveCache.Core.Aws;

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
}
