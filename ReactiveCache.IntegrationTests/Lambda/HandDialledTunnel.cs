using System.Text;
using ReactiveCache.Core.Tunnel;

namespace ReactiveCache.IntegrationTests.Lambda;

/// <summary>
/// A tunnel connection dialled by the test itself, speaking the tunnel's HTTP/1.1 by hand over a stream: the upgrade
/// a function sends, then the function's side of each forwarded request (for answers the real function never gives).
/// </summary>
public static class HandDialledTunnel
{
    /// <summary>Sends the upgrade a function sends and returns the gateway's answer head (<c>HTTP/1.1 101 …</c> when accepted).</summary>
    public static async Task<string> DialAsync(Stream stream, string host, string invocationId, string token)
    {
        await WriteAsync(stream,
            $"GET {TunnelProtocol.ConnectPath}?{TunnelProtocol.InvocationQuery}={invocationId} HTTP/1.1\r\nHost: {host}\r\n"
            + $"Authorization: {TunnelProtocol.Scheme} {token}\r\nConnection: Upgrade\r\nUpgrade: {TunnelProtocol.UpgradeToken}\r\n\r\n");
        return await ReadHeadAsync(stream);
    }

    /// <summary>
    /// The function's side: answers every forwarded request with <paramref name="statusLine"/> (e.g. <c>200 OK</c>) and
    /// <paramref name="body"/>, recording each request line, until the gateway lets go.
    /// </summary>
    public static async Task ServeAsync(Stream stream, string statusLine, byte[] body, ICollection<string> requestLines)
    {
        while (await ReadHeadAsync(stream) is { Length: > 0 } head)
        {
            lock (requestLines)
            {
                requestLines.Add(head.Split("\r\n")[0]);
            }

            await WriteAsync(stream, $"HTTP/1.1 {statusLine}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nETag: \"hand\"\r\n\r\n");
            await stream.WriteAsync(body);
            await stream.FlushAsync();
        }
    }

    /// <summary>A function that takes every forwarded request and never answers: records each request line until the gateway lets go.</summary>
    public static async Task SwallowAsync(Stream stream, ICollection<string> requestLines)
    {
        while (await ReadHeadAsync(stream) is { Length: > 0 } head)
        {
            lock (requestLines)
            {
                requestLines.Add(head.Split("\r\n")[0]);
            }
        }
    }

    public static Task WriteAsync(Stream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    /// <summary>Reads an HTTP head (through the blank line); empty when the stream ends first.</summary>
    public static async Task<string> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return "";
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }
}
