using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using ReactiveCache.Core.Http;
using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Gateway.Layers;
using ReactiveCache.Gateway.Objects;
using ReactiveCache.Domain;

namespace ReactiveCache.IntegrationTests.Gateway;

/// <summary>
/// Stands in for a function holding objects in memory, so that the chain's tests need no function process (the
/// real layer is <c>LambdaTunnelLayer</c>): answers with the same HTTP semantics, or fails before the first byte when told to.
/// </summary>
public sealed class FakeLambdaLayer : ILambdaLayer
{
    private readonly ConcurrentDictionary<string, (ObjectMetadata Metadata, byte[] Body)> _objects = new();

    public bool FailBeforeFirstByte { get; set; }

    /// <summary>Answers nothing until the client goes away, then reports "not served" (YARP's <c>RequestCanceled</c>).</summary>
    public bool HangUntilClientLeaves { get; set; }

    public int Calls;

    public void Hold(ObjectMetadata metadata, byte[] body) => _objects[metadata.Key] = (metadata, body);

    public bool CanServe(string key) => _objects.ContainsKey(key);

    public IReadOnlyList<(string InvocationId, IReadOnlyList<string> Keys)> ConnectedFunctions =>
        _objects.IsEmpty ? [] : [("fake", [.. _objects.Keys])];

    public async Task<bool> TryServeAsync(HttpContext context, string key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        if (HangUntilClientLeaves)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            return false;
        }

        if (FailBeforeFirstByte || !_objects.TryGetValue(key, out var held))
        {
            return false;
        }

        var request = ObjectRequest.From(context.Request, key, 0);
        var plan = ResponsePlan.For(request.Conditions, held.Metadata);
        ObjectResponses.WriteHead(context.Response, held.Metadata, plan, CacheLayer.Lambda);
        if (plan.IsRefusal)
        {
            await ObjectResponses.WriteRefusalAsync(context, held.Metadata, plan);
        }
        else if (!request.IsHead && plan.BodyRange(held.Metadata) is { } range)
        {
            await context.Response.Body.WriteAsync(held.Body.AsMemory((int)range.From, (int)range.Length), cancellationToken);
        }

        return true;
    }
}
