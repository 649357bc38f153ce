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
/// <para>The policy is told (<see cref="PolicyEventKind.ObjectTooLarge"/>, before the refused command's own end), so
/// that it keeps the key off that layer until the object changes instead of asking again: it is told of every layer a
/// key is too large for as soon as its size is read (a key's size is read at its first function, load or pin), and of
/// each refusal after that. A policy that first hears of a key through its function thus knows, before it would boot
/// the node for it, whether the node can take it.</para>
/// </summary>
public sealed class ObjectSizes(IObjectStore store, PolicyInbox inbox, TimeProvider time, IOptions<SizeLimitsOptions> options)
{
    private readonly ConcurrentDictionary<string, long> _sizes = new(StringComparer.Ordinal);

    public LayerSizeLimits Limits => options.Value.ToLimits();

    /// <summary>The size of <paramref name="key"/> if it was read already, else null (no I/O).</summary>
    public long? Known(string key) => _sizes.TryGetValue(key, out var size) ? size : null;

    /// <summary>The size of <paramref name="key"/> (read from the store once), or null when the store has no such object.</summary>
    public async Task<long?> SizeAsync(string key, CancellationToken cancellationToken) => (await ReadAsync(key, cancellationToken)).Size;

    /// <summary>
    /// Throws <see cref="ObjectTooLargeException"/> when <paramref name="key"/> is larger than <paramref name="layer"/>'s
    /// limit; the policy hears it first.
    /// </summary>
    public async Task EnsureFitsAsync(string key, CacheLayer layer, CancellationToken cancellationToken)
    {
        var limits = Limits;
        var (size, learned) = await ReadAsync(key, cancellationToken);
        if (size is { } bytes && !limits.Allows(layer, bytes))
        {
            if (!learned)
            {
                TellPolicy(key, layer);
            }

            throw new ObjectTooLargeException(key, layer, bytes, limits.MaxBytes(layer));
        }
    }

    /// <summary>
    /// Whether <paramref name="command"/> is a route to a layer its key is known to be too large for (then it is dropped,
    /// and the policy hears it). Functions and loads are not dropped here but refused where they run, so that the policy
    /// hears how they ended.
    /// </summary>
    public bool RefusesRoute(in PolicyCommand command)
    {
        if (command.Kind != PolicyCommandKind.SetRoute || Known(command.Key) is not { } size || Limits.Allows(command, size))
        {
            return false;
        }

        TellPolicy(command.Key, command.Layer);
        return true;
    }

    /// <summary>The size (null: no such object) and whether it was read just now (then the policy heard every layer it is too large for).</summary>
    private async Task<(long? Size, bool Learned)> ReadAsync(string key, CancellationToken cancellationToken)
    {
        if (_sizes.TryGetValue(key, out var known))
        {
            return (known, false);
        }

        if (await store.GetMetadataAsync(key, cancellationToken) is not { } metadata)
        {
            return (null, false);
        }

        _sizes[key] = metadata.Length;
        foreach (var layer in Limits.TooLargeFor(metadata.Length))
        {
            TellPolicy(key, layer);
        }

        return (metadata.Length, true);
    }

    private void TellPolicy(string key, CacheLayer layer) => inbox.Post(PolicyEvent.ObjectTooLarge(key, layer, time.GetUtcNow()));

    /// <summary>Forgets <paramref name="key"/>'s size (the object changed).</summary>
    public void Forget(string key) => _sizes.TryRemove(key, out _);

    /// <summary>The view with the key's size and the layers it is too large for, once its size is known.</summary>
    public ObjectStateView Annotate(ObjectStateView view) =>
        Known(view.Key) is { } size
            ? view with { SizeBytes = size, TooLargeFor = [.. Limits.TooLargeFor(size).Select(layer => layer.ToName())] }
            : view;
}
