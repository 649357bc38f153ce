using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ReactiveCache.AppHost;

/// <summary>
/// The cache node on the dashboard. The orchestrator owns the node (it boots and stops it); this
/// resource mirrors the state the orchestrator reports (Stopped, Booting, Running, Draining,
/// Stopping) and offers Start/Stop commands that go through the orchestrator's control API.
/// </summary>
public sealed class CacheNodeResource(string name) : Resource(name);

public static class CacheNodeResourceExtensions
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    /// <param name="controlApiKey">The control API's key: the mirror follows <c>/node/events</c> and the commands post with it.</param>
    public static IResourceBuilder<CacheNodeResource> AddCacheNode(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ProjectResource> orchestrator,
        IResourceBuilder<ParameterResource> controlApiKey)
    {
        var resource = new CacheNodeResource(name);
        var controlApi = new ControlApi(orchestrator.GetEndpoint("http"), controlApiKey.Resource);

        builder.Eventing.Subscribe<InitializeResourceEvent>(resource, (@event, token) =>
        {
            _ = MirrorAsync(@event, controlApi, token);
            return Task.CompletedTask;
        });

        return builder.AddResource(resource)
            .ExcludeFromManifest()
            .WithParentRelationship(orchestrator)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "CacheNode",
                CreationTimeStamp = DateTime.UtcNow,
                State = new ResourceStateSnapshot("Stopped", KnownResourceStateStyles.Info),
                Properties = [new(CustomResourceKnownProperties.Source, "orchestrator /node")],
            })
            .WithCommand("start-node", "Start", ctx => PostAsync(controlApi, "/node/start", ctx.CancellationToken),
                new CommandOptions
                {
                    IconName = "Play",
                    UpdateState = ctx => ctx.ResourceSnapshot.State?.Text == "Stopped" ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
                })
            .WithCommand("stop-node", "Stop", ctx => PostAsync(controlApi, "/node/stop", ctx.CancellationToken),
                new CommandOptions
                {
                    IconName = "Stop",
                    UpdateState = ctx => ctx.ResourceSnapshot.State?.Text == "Running" ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
                });
    }

    /// <summary>
    /// Follows the orchestrator's <c>GET /node/events</c> stream (<see cref="CacheNodeStatusFeed"/>: the status
    /// now and after every change) and mirrors each state onto the resource. One long request instead of a poll every half second: the
    /// orchestrator's traces are not buried under <c>GET /node</c> spans. When the stream ends (the orchestrator
    /// is not up yet, or restarted), it connects again after <see cref="ReconnectDelay"/>.
    /// </summary>
    private static async Task MirrorAsync(InitializeResourceEvent @event, ControlApi controlApi, CancellationToken token)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        string? last = null;
        while (!token.IsCancellationRequested)
        {
            try
            {
                // The request once the orchestrator's endpoint is allocated and the key resolved (it waits for both).
                using var request = await controlApi.RequestAsync(HttpMethod.Get, CacheNodeStatusFeed.Path, token);
                await foreach (var status in CacheNodeStatusFeed.FollowAsync(http, request, token))
                {
                    if (status.State == last)
                    {
                        continue;
                    }

                    last = status.State;
                    await @event.Notifications.PublishUpdateAsync(@event.Resource, s => s with
                    {
                        State = new ResourceStateSnapshot(status.State, Style(status.State)),
                        StartTimeStamp = status.State == "Running" ? DateTime.UtcNow : s.StartTimeStamp,
                        Properties = [.. s.Properties.Where(p => p.Name != "endpoint"), new("endpoint", status.Endpoint ?? "")],
                    });
                    @event.Logger.LogInformation("Cache node {State} {Endpoint}", status.State, status.Endpoint);
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or JsonException && !token.IsCancellationRequested)
            {
                // The orchestrator is not up (yet, or any more): keep the last state and connect again.
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }

            await Task.Delay(ReconnectDelay, token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task<ExecuteCommandResult> PostAsync(ControlApi controlApi, string path, CancellationToken token)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = await controlApi.RequestAsync(HttpMethod.Post, path, token);
        using var response = await http.SendAsync(request, token);
        return response.IsSuccessStatusCode
            ? CommandResults.Success()
            : CommandResults.Failure($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(token)}");
    }

    private static string Style(string state) => state switch
    {
        "Running" => KnownResourceStateStyles.Success,
        "Booting" or "Draining" or "Stopping" => KnownResourceStateStyles.Warn,
        _ => KnownResourceStateStyles.Info,
    };

    /// <summary>The orchestrator's control API as the dashboard calls it: its URL (once allocated) and its key.</summary>
    private sealed class ControlApi(EndpointReference endpoint, ParameterResource key)
    {
        public async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path, CancellationToken token)
        {
            // GetValueAsync waits for the endpoint to be allocated and the parameter to be resolved.
            var request = new HttpRequestMessage(method, $"{await endpoint.GetValueAsync(token)}{path}");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await key.GetValueAsync(token));
            return request;
        }
    }
}
