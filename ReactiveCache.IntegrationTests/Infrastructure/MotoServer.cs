using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.Runtime;

namespace ReactiveCache.IntegrationTests.Infrastructure;

/// <summary>
/// An offline AWS (moto 5, <c>moto_server</c> on the machine's Python) on a free loopback port, with an IAM
/// user allowed everything whose key pair the tests sign with. Its Lambda runs no code, and its instances get
/// private-range addresses: tests never dial those.
/// </summary>
public sealed partial class MotoServer : IAsyncDisposable
{
    private ServerProcess? _server;

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>The IAM user's key pair (created in this server; it means nothing anywhere else).</summary>
    public BasicAWSCredentials Credentials { get; private set; } = new("unset", "unset");

    public static async Task<MotoServer> StartAsync()
    {
        var moto = ToolCommand.Which("moto_server")
                   ?? throw new InvalidOperationException("moto_server is not on PATH: install moto 5 with its server extra (pip install 'moto[server]') on the machine's Python.");
        var server = new MotoServer { Port = FreePort.Next() };
        server._server = await ServerProcess.StartAsync(moto, ["-H", "127.0.0.1", "-p", server.Port.ToString()], server.Port);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        // Requests are not checked yet: create the user the tests sign as.
        await server.IamAsync(http, "CreateUser", ("UserName", "tests"));
        await server.IamAsync(http, "PutUserPolicy", ("UserName", "tests"), ("PolicyName", "everything"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""));
        var key = await server.IamAsync(http, "CreateAccessKey", ("UserName", "tests"));
        server.Credentials = new BasicAWSCredentials(
            AccessKeyId().Match(key).Groups[1].Value, SecretAccessKey().Match(key).Groups[1].Value);
        return server;
    }

    /// <summary>
    /// From now on every request must carry a valid SigV4 signature of the tests' user (moto's
    /// <c>INITIAL_NO_AUTH_ACTION_COUNT</c> set to 0), or fails with <c>SignatureDoesNotMatch</c>.
    /// </summary>
    public Task CheckSignaturesAsync() => ResetAuthAsync("0");

    /// <summary>Back to accepting unsigned requests. (Moto checks a REST GET against the wrong payload hash, so
    /// the AWS CLI's Lambda waiters fail while signatures are checked.)</summary>
    public Task AcceptAnyRequestAsync() => ResetAuthAsync("inf");

    /// <summary>The environment of an AWS CLI (or deploy script) run against this server as the tests' user.</summary>
    public Dictionary<string, string?> CliEnvironment() => new()
    {
        ["AWS_ACCESS_KEY_ID"] = Credentials.GetCredentials().AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = Credentials.GetCredentials().SecretKey,
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_PROFILE"] = null,
        ["AWS_CONFIG_FILE"] = "/nonexistent",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    /// <summary>
    /// Lambda answers Invoke by echoing the payload instead of running the code in Docker (true), or back to its
    /// default (false). Moto keeps the functions of the two modes apart: a function created in one (e.g. by
    /// CloudFormation) is not found in the other.
    /// </summary>
    public async Task EchoLambdaPayloadsAsync(bool echo)
    {
        using var http = new HttpClient();
        using var config = await http.PostAsync($"{Url}/moto-api/config",
            new StringContent("{\"lambda\":{\"use_docker\":" + (echo ? "false" : "true") + "}}", Encoding.UTF8, "application/json"));
        config.EnsureSuccessStatusCode();
    }

    private async Task ResetAuthAsync(string count)
    {
        using var http = new HttpClient();
        using var content = new StringContent(count);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var response = await http.PostAsync($"{Url}/moto-api/reset-auth", content);
        response.EnsureSuccessStatusCode();
    }

    private async Task<string> IamAsync(HttpClient http, string action, params (string Name, string Value)[] parameters)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new FormUrlEncodedContent([new("Action", action), new("Version", "2010-05-08"), .. parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))]),
        };
        // Unchecked, but moto reads the service and region from the credential scope.
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=UNSIGNEDTESTKEYID/20240101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"moto IAM {action}: {(int)response.StatusCode} {body}");
        }

        return body;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [GeneratedRegex("<AccessKeyId>([^<]+)</AccessKeyId>")]
    private static partial Regex AccessKeyId();

    [GeneratedRegex("<SecretAccessKey>([^<]+)</SecretAccessKey>")]
    private static partial Regex SecretAccessKey();
}
