using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReactiveCache.AppHost;

/// <summary>
/// The cache node's status as the orchestrator pushes it: <c>GET /node/events</c>, server-sent events, the
/// status now and after every change. What <see cref="CacheNodeResource"/> follows on the dashboard.
/// </summary>
public static class CacheNodeStatusFeed
{
    public const string Path = "/node/events";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// Each status the orchestrator sends on one stream (<paramref name="events"/>: a GET of <see cref="Path"/> with
    /// the control API's credential), until the stream or <paramref name="cancellationToken"/> ends.
    /// </summary>
    public static async IAsyncEnumerable<CacheNodeStatusUpdate> FollowAsync(HttpClient http, HttpRequestMessage events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(events, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            if (JsonSerializer.Deserialize<CacheNodeStatusUpdate>(item.Data, Json) is { } status)
            {
                yield return status;
            }
        }
    }
}

/// <summary>The part of the orchestrator's cache node status the dashboard shows.</summary>
public sealed record CacheNodeStatusUpdate(string State, string? Endpoint);
