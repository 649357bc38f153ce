using System.Buffers;
using System.Diagnostics;
using System.Net;

namespace ReactiveCache.Testing;

/// <summary>
/// A client inside a test sending GETs at a steady rate (open loop: one every 1/rate s, whether the earlier ones
/// answered or not) to one or more gateways, round-robin over a mix of objects, while the test breaks something. Every
/// attempt is recorded with what it got, and every body is compared byte for byte with the object's bytes. What a GET
/// can come to (<see cref="SteadyLoadOutcome"/>): the whole right body; a complete <c>200</c> with other bytes (short
/// or mixed: never acceptable); a body cut off after its headers (the connection aborted); another status; no answer.
/// With <see cref="SteadyLoadOptions.Retries"/> a GET that got no whole answer (no answer, or a body cut off) is sent
/// again, to the same gateway, as a client that retries would; a wrong body is never retried (a client cannot tell).
/// </summary>
public sealed class SteadyLoad : IAsyncDisposable
{
    private readonly IReadOnlyList<SteadyLoadTarget> _targets;
    private readonly IReadOnlyList<SteadyLoadObject> _objects;
    private readonly SteadyLoadOptions _options;
    private readonly List<SteadyLoadAttempt> _attempts = [];
    private readonly List<Task> _inFlight = [];
    private readonly Dictionary<string, HttpClient> _clients;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _schedule;
    private long _sent;
    private long _skipped;

    private SteadyLoad(IReadOnlyList<SteadyLoadTarget> targets, IReadOnlyList<SteadyLoadObject> objects, SteadyLoadOptions options)
    {
        (_targets, _objects, _options) = (targets, objects, options);
        _clients = targets.ToDictionary(t => t.Name, t => new HttpClient(new SocketsHttpHandler
        {
            // Connections are not kept for long: a restarted gateway is dialled again soon.
            PooledConnectionLifetime = TimeSpan.FromSeconds(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            BaseAddress = t.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        });
        _schedule = Task.Run(ScheduleAsync);
    }

    /// <summary>Starts sending (see <see cref="SteadyLoad"/>): objects in turn, gateways in turn.</summary>
    /// <param name="objects">The mix: an object listed twice is asked for twice as often.</param>
    public static SteadyLoad Start(IReadOnlyList<SteadyLoadTarget> targets, IReadOnlyList<SteadyLoadObject> objects, SteadyLoadOptions? options = null)
    {
        if (targets.Count == 0 || objects.Count == 0)
        {
            throw new ArgumentException("A steady load needs at least one target and one object.");
        }

        return new SteadyLoad(targets, objects, options ?? new SteadyLoadOptions());
    }

    /// <summary>Time since the load started (the clock every attempt is stamped with).</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>GETs sent so far (first attempts), and those the in-flight cap held back.</summary>
    public (long Sent, long Skipped) Counts => (Interlocked.Read(ref _sent), Interlocked.Read(ref _skipped));

    /// <summary>Every attempt that has ended, in the order they ended.</summary>
    public IReadOnlyList<SteadyLoadAttempt> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>The attempts sent at or after <paramref name="from"/> (a <see cref="Now"/> taken earlier) and before <paramref name="to"/>.</summary>
    public SteadyLoadWindow Window(TimeSpan from, TimeSpan? to = null) =>
        new(Attempts.Where(a => a.Sent >= from && a.Sent < (to ?? TimeSpan.MaxValue)).ToList());

    /// <summary>Waits until an attempt sent at or after <paramref name="from"/> matches <paramref name="condition"/>; fails the test after <paramref name="timeout"/>.</summary>
    public Task WaitForAsync(TimeSpan from, Func<SteadyLoadAttempt, bool> condition, TimeSpan timeout, string what, Func<string>? diagnostics = null) =>
        Eventually.HoldsAsync(() => Window(from).Attempts.Any(condition), timeout, what, () => $"{Window(from).Describe()}\n{diagnostics?.Invoke()}",
            TimeSpan.FromMilliseconds(100));

    /// <summary>Stops sending and waits for the GETs in flight (and their retries) to end.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _schedule;
        Task[] inFlight;
        lock (_inFlight)
        {
            inFlight = [.. _inFlight];
        }

        await Task.WhenAll(inFlight);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _stop.Dispose();
    }

    private async Task ScheduleAsync()
    {
        var interval = TimeSpan.FromSeconds(1 / _options.RatePerSecond);
        var next = TimeSpan.Zero;
        long n = 0;
        while (!_stop.IsCancellationRequested)
        {
            var wait = next - _clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            // Behind schedule (a busy machine): catch up, but never more than a second's worth at once.
            next = TimeSpan.FromTicks(Math.Max(next.Ticks, (_clock.Elapsed - TimeSpan.FromSeconds(1)).Ticks)) + interval;
            var target = _targets[(int)(n % _targets.Count)];
            var item = _objects[(int)(n / _targets.Count % _objects.Count)];
            n++;
            lock (_inFlight)
            {
                _inFlight.RemoveAll(t => t.IsCompleted);
                if (_inFlight.Count >= _options.MaxInFlight)
                {
                    Interlocked.Increment(ref _skipped);
                    continue;
                }

                var get = Interlocked.Increment(ref _sent);
                _inFlight.Add(Task.Run(() => GetAsync(get, target, item)));
            }
        }
    }

    private async Task GetAsync(long get, SteadyLoadTarget target, SteadyLoadObject item)
    {
        var deadline = _clock.Elapsed + _options.RetryFor;
        for (var attempt = 1; ; attempt++)
        {
            var result = await AttemptAsync(get, target, item, attempt);
            lock (_attempts)
            {
                _attempts.Add(result);
            }

            var retriable = result.Outcome is SteadyLoadOutcome.NoAnswer or SteadyLoadOutcome.Aborted;
            if (!retriable || attempt > _options.Retries || _clock.Elapsed > deadline)
            {
                return;
            }

            await Task.Delay(_options.RetryDelay);
        }
    }

    private async Task<SteadyLoadAttempt> AttemptAsync(long get, SteadyLoadTarget target, SteadyLoadObject item, int attempt)
    {
        var sent = _clock.Elapsed;
        var expected = item.Body;
        int status = 0, read = 0;
        string? origin = null;
        var matches = true;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        using var timeout = new CancellationTokenSource(_options.Timeout);
        try
        {
            using var response = await _clients[target.Name].GetAsync($"objects/{item.Key}", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            origin = response.Headers.TryGetValues("Content-Origin", out var values) ? values.FirstOrDefault() : null;
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            int n;
            while ((n = await body.ReadAsync(buffer, timeout.Token)) > 0)
            {
                // Compared as it arrives: a body longer than the object, or with one byte different, is wrong.
                matches &= read + n <= expected.Length && buffer.AsSpan(0, n).SequenceEqual(expected.AsSpan(read, n));
                read += n;
            }

            var outcome = status != 200 ? SteadyLoadOutcome.OtherStatus
                : matches && read == expected.Length ? SteadyLoadOutcome.Ok
                : SteadyLoadOutcome.WrongBody;
            return new(get, target.Name, item.Key, attempt, sent, _clock.Elapsed, outcome, status, origin, read, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            // Headers came (a status) and then the body broke off: the connection was aborted. No status: no answer.
            var outcome = status != 0 ? SteadyLoadOutcome.Aborted : SteadyLoadOutcome.NoAnswer;
            return new(get, target.Name, item.Key, attempt, sent, _clock.Elapsed, outcome, status, origin, read, $"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>A gateway the load sends to.</summary>
public sealed record SteadyLoadTarget(string Name, Uri BaseAddress);

/// <summary>An object of the mix, with the bytes every answer must carry.</summary>
public sealed record SteadyLoadObject(string Key, byte[] Body);

/// <param name="RatePerSecond">GETs sent per second (first attempts).</param>
/// <param name="MaxInFlight">At most this many GETs at once; a GET due while as many are in flight is skipped (counted).</param>
/// <param name="Timeout">One attempt's limit, headers and body.</param>
/// <param name="Retries">How many more times a GET that got no whole answer is sent (0: none).</param>
/// <param name="RetryFor">Retries stop once the GET is this old.</param>
public sealed record SteadyLoadOptions(
    double RatePerSecond = 200,
    int MaxInFlight = 256,
    TimeSpan? AttemptTimeout = null,
    int Retries = 0,
    TimeSpan? RetryLimit = null,
    TimeSpan? RetryPause = null)
{
    public TimeSpan Timeout => AttemptTimeout ?? TimeSpan.FromSeconds(20);

    public TimeSpan RetryFor => RetryLimit ?? TimeSpan.FromSeconds(30);

    public TimeSpan RetryDelay => RetryPause ?? TimeSpan.FromMilliseconds(200);
}

public enum SteadyLoadOutcome
{
    /// <summary>200 with the object's bytes, all of them.</summary>
    Ok,

    /// <summary>A complete 200 whose body is not the object's (short, long or mixed): a client would take it for the object.</summary>
    WrongBody,

    /// <summary>Headers came, then the connection broke off before the body was whole: the client knows it failed.</summary>
    Aborted,

    /// <summary>An answer of another status (a 5xx, a 404, …).</summary>
    OtherStatus,

    /// <summary>No answer: the connection was refused, reset before the headers, or the attempt timed out.</summary>
    NoAnswer,
}

/// <summary>One attempt of one GET: when it was sent and ended (the load's clock), what came back, who answered.</summary>
/// <param name="Get">Which GET (its attempts share it).</param>
public sealed record SteadyLoadAttempt(
    long Get, string Target, string Key, int Attempt, TimeSpan Sent, TimeSpan Ended, SteadyLoadOutcome Outcome, int Status, string? Origin, int Bytes, string? Error)
{
    public override string ToString() =>
        $"{Target} {Key} #{Attempt} at {Sent.TotalSeconds:F2}s–{Ended.TotalSeconds:F2}s: {Outcome} {Status} from {Origin ?? "-"}, {Bytes} bytes{(Error is null ? "" : $" ({Error})")}";
}

/// <summary>The attempts of a stretch of the load, with what a test asserts about them.</summary>
public sealed record SteadyLoadWindow(IReadOnlyList<SteadyLoadAttempt> Attempts)
{
    /// <summary>Attempts that were not a whole right answer.</summary>
    public IReadOnlyList<SteadyLoadAttempt> Failures => Attempts.Where(a => a.Outcome != SteadyLoadOutcome.Ok).ToList();

    /// <summary>GETs (first attempts) whose last attempt was not a whole right answer: what a retrying client saw fail.</summary>
    public IReadOnlyList<SteadyLoadAttempt> FailedGets => Attempts
        .GroupBy(a => a.Get)
        .Select(g => g.MaxBy(a => a.Attempt)!)
        .Where(a => a.Outcome != SteadyLoadOutcome.Ok)
        .ToList();

    /// <summary>GETs that needed more than one attempt.</summary>
    public int Retried => Attempts.Where(a => a.Attempt > 1).Select(a => a.Get).Distinct().Count();

    /// <summary>Answers per (key, layer that answered), e.g. "hot.txt: redis 812, s3 40".</summary>
    public string Describe()
    {
        var byKey = Attempts.GroupBy(a => a.Key).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}: {string.Join(", ", g.GroupBy(a => a.Outcome == SteadyLoadOutcome.Ok ? a.Origin ?? "?" : a.Outcome.ToString()).Select(o => $"{o.Key} {o.Count()}"))}");
        var failures = Failures.Take(10).Select(a => $"  {a}");
        return $"{Attempts.Count} attempts; {string.Join("; ", byKey)}" + (Failures.Count == 0 ? "" : $"\nfirst failures:\n{string.Join("\n", failures)}");
    }

    /// <summary>How many whole right answers <paramref name="layer"/> gave (for <paramref name="key"/>, or any).</summary>
    public int ServedBy(string layer, string? key = null) =>
        Attempts.Count(a => a.Outcome == SteadyLoadOutcome.Ok && a.Origin == layer && (key is null || a.Key == key));
}
