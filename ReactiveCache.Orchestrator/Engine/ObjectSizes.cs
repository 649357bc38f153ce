using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ReactiveCache.Core.Objects;
using ReactiveCache.Domain;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Orchestrator.Control;

namespace ReactiveCache.Orchestrator.Engine;

/// <summary>
/// Each key's size, read from the store's metadata the first time a key is to go onto a layer (the gateways' request
/// events carry no size) and kept until the object changes, and the <see cref="LayerSizeLimits"/> applied to it.
/// <para>The limits are applied here, between the policy and the execution, rather than in the policy: the policy's
/// events have no size, and learning one takes a store read the pure policy cannot make. A command that would put a
/// key on a layer it is too large for is not carried out, so the key stays where it is (S3 at worst, which takes
/// anything): a refused function ends at once (the policy hears <c>FunctionEnded</c>), a refused load fails (the policy
/// hears <c>NodeCommandFailed</c>), a refused route is dropped.</para>
/// </summary>
public sealed class ObjectSizes(IObjectStore store, IOptions<SizeLimitsOptions> options)
{
    private readonly ConcurrentDictionary<string, long> _sizes = new(StringComparer.Ordinal);

    public LayerSizeLimits Limits => options.Value.ToLimits();

    /// <summary>The size of <paramref name="key"/> if it was read already, else null (no I/O).</summary>
    public long? Known(string key) => _sizes.TryGetValue(key, out var size) ? size : null;

    /// <summary>The size of <paramref name="key"/> (read from the store once), or null when the store has no such object.</summary>
    public async Task<long?> SizeAsync(string key, CancellationToken cancellationToken)
    {
        if (_sizes.TryGetValue(key, out var known))
        {
            return known;
        }

        if (await store.GetMetadataAsync(key, cancellationToken) is not { } metadata)
        {
            return null;
        }

        _sizes[key] = metadata.Length;
        return metadata.Length;
    }

    /// <summary>Throws <see cref="ObjectTooLargeException"/> when <paramref name="key"/> is larger than <paramref name="layer"/>'s limit.</summary>
    public async Task EnsureFitsAsync(string key, CacheLayer layer, CancellationToken cancellationToken)
    {
        var limits = Limits;
        if (await SizeAsync(key, cancellationToken) is { } size && !limits.Allows(layer, size))
        {
            throw new ObjectTooLargeException(key, layer, size, limits.MaxBytes(layer));
        }
    }

    /// <summary>
    /// Whether <paramref name="command"/> is a route to a layer its key is known to be too large for (then it is dropped).
    /// Functions and loads are not dropped here but refused where they run, so that the policy hears how they ended.
    /// </summary>
    public bool RefusesRoute(in PolicyCommand command) =>
        command.Kind == PolicyCommandKind.SetRoute && Known(command.Key) is { } size && !Limits.Allows(command, size);

    /// <summary>Forgets <paramref name="key"/>'s size (the object changed).</summary>
    public void Forget(string key) => _sizes.TryRemove(key, out _);

    /// <summary>The view with the key's size and the layers it is too large for, once its size is known.</summary>
    public ObjectStateView Annotate(ObjectStateView view) =>
        Known(view.Key) is { } size
            ? view with { SizeBytes = size, TooLargeFor = [.. Limits.TooLargeFor(size).Select(layer => layer.ToName())] }
            : view;
}
