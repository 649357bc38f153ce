using Microsoft.AspNetCore.Http.Features;

namespace ReactiveCache.Gateway.Tunnel;

/// <summary>
/// Stands in for the client connection's abort/reset while a request is forwarded through a tunnel: the
/// forwarder aborts the client when the function's body breaks, but while the body is still held back
/// (<see cref="BufferedResponseBody"/>) nothing reached the client and the gateway can fall back instead.
/// </summary>
internal sealed class DeferredAbort(IHttpRequestLifetimeFeature lifetime, IHttpResetFeature? reset) : IHttpRequestLifetimeFeature, IHttpResetFeature
{
    private int? _resetCode;

    public bool Requested { get; private set; }

    public CancellationToken RequestAborted
    {
        get => lifetime.RequestAborted;
        set => lifetime.RequestAborted = value;
    }

    public void Abort() => Requested = true;

    public void Reset(int errorCode)
    {
        Requested = true;
        _resetCode = errorCode;
    }

    /// <summary>Installs the stand-in on <paramref name="context"/>; <see cref="Restore"/> puts the real ones back.</summary>
    public static DeferredAbort Install(HttpContext context)
    {
        var lifetime = context.Features.GetRequiredFeature<IHttpRequestLifetimeFeature>();
        var reset = context.Features.Get<IHttpResetFeature>();
        var deferred = new DeferredAbort(lifetime, reset);
        context.Features.Set<IHttpRequestLifetimeFeature>(deferred);
        if (reset is not null)
        {
            context.Features.Set<IHttpResetFeature>(deferred);
        }

        return deferred;
    }

    /// <summary>Puts the real features back on <paramref name="context"/> (a method, not a closure: nothing allocated per request).</summary>
    public void Restore(HttpContext context)
    {
        context.Features.Set(lifetime);
        if (reset is not null)
        {
            context.Features.Set(reset);
        }
    }

    /// <summary>Performs the abort that was asked for (bytes already reached the client).</summary>
    public void Apply()
    {
        if (_resetCode is { } code && reset is not null)
        {
            reset.Reset(code);
        }
        else
        {
            lifetime.Abort();
        }
    }
}
