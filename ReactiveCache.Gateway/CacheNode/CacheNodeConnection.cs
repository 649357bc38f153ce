using System.Net;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.StackExchangeRedis;
using ReactiveCache.Core.Concurrency;
using StackExchange.Redis;

namespace ReactiveCache.Gateway.CacheNode;

/// <summary>
/// The connection to the current cache node. The orchestrator names the node at run time (and names
/// another after a restart), so the multiplexer is made per node, with <c>abortConnect=false</c> so it
/// survives the node stopping and starting, and swapped when the node changes. Reads take a
/// <see cref="CacheNodeLease"/> through the node's <see cref="InFlightGate"/>, which a drain closes and waits on.
/// With tracing on, each node's multiplexer is handed to the Redis instrumentation when it is made and taken
/// back when it is retired, so that every command is a child span of the request that sent it.
/// </summary>
public sealed partial class CacheNodeConnection : IAsyncDisposable
{
    private readonly CacheNodeOptions _options;
    private readonly ConfigurationOptions? _base;
    private readonly ILogger<CacheNodeConnection> _logger;
    private readonly TimeProvider _time;
    private readonly StackExchangeRedisInstrumentation? _instrumentation;
    private readonly Lock _gate = new();
    private Node? _current;
    private bool _disposed;

    /// <param name="instrumentation">The Redis instrumentation, registered by the service defaults' tracing (none without it).</param>
    public CacheNodeConnection(IOptions<CacheNodeOptions> options, IConfiguration configuration, TimeProvider time,
        ILogger<CacheNodeConnection> logger, StackExchangeRedisInstrumentation? instrumentation = null)
    {
        _options = options.Value;
        _logger = logger;
        _time = time;
        _instrumentation = instrumentation;
        var connectionString = configuration.GetConnectionString(CacheNodeOptions.ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            _base = ConfigurationOptions.Parse(connectionString);
        }

        var initial = _options.Endpoint ?? _base?.EndPoints.Select(Describe).FirstOrDefault();
        if (!string.IsNullOrWhiteSpace(initial))
        {
            Use("configured", initial);
        }
    }

    /// <summary>The node in use (<c>null</c> when none), for diagnostics.</summary>
    public (string NodeId, string Endpoint, bool Connected, bool Draining)? Current
    {
        get
        {
            var node = Volatile.Read(ref _current);
            return node is null ? null : (node.Id, node.Endpoint, node.Multiplexer?.IsConnected == true, node.Reads.IsClosed);
        }
    }

    /// <summary>Reads go to this node from now on (a node named again after a drain is used again).</summary>
    public void Use(string nodeId, string endpoint)
    {
        Node? retired;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var current = _current;
            if (current is not null && current.Id == nodeId && current.Endpoint == endpoint)
            {
                current.Reads.Open();
                return;
            }

            retired = current;
            var node = new Node(nodeId, endpoint, _time.GetUtcNow());
            _current = node;
            node.Connecting = ConnectAsync(node);
        }

        LogNodeChanged(nodeId, endpoint);
        if (retired is not null)
        {
            _ = RetireAsync(retired);
        }
    }

    /// <summary>No node any more: Redis routes fall back until one is named.</summary>
    public void Clear()
    {
        Node? retired;
        lock (_gate)
        {
            retired = _current;
            _current = null;
        }

        if (retired is not null)
        {
            LogNodeCleared(retired.Id);
            _ = RetireAsync(retired);
        }
    }

    /// <summary>
    /// Completes once the node in use is connected, or <see cref="CacheNodeOptions.ConnectTimeoutMs"/> after it was named if
    /// it is not (at once when there is no node).
    /// </summary>
    public async Task WaitForConnectionAsync(CancellationToken cancellationToken)
    {
        var node = Volatile.Read(ref _current);
        if (node is null)
        {
            return;
        }

        var deadline = node.NamedAt + TimeSpan.FromMilliseconds(_options.ConnectTimeoutMs);
        if (node.Connecting is { } connecting)
        {
            await connecting.WaitAsync(cancellationToken);
        }

        // StackExchange.Redis returns from a connect that may fail (abortConnect=false) before a slow node has answered and
        // raises no event for that first connection: polled, for at most the connect timeout.
        while (!node.Retired && node.Multiplexer?.IsConnected != true && _time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken);
        }
    }

    /// <summary>A lease on the node for one read, when a node is connected and not draining.</summary>
    public bool TryAcquire(out CacheNodeLease lease)
    {
        var node = Volatile.Read(ref _current);
        var multiplexer = node?.Multiplexer;
        if (node is null || multiplexer is null || node.Reads.IsClosed || !multiplexer.IsConnected || !node.Reads.TryEnter())
        {
            lease = default;
            return false;
        }

        lease = new CacheNodeLease(node.Reads, multiplexer.GetDatabase());
        return true;
    }

    /// <summary>
    /// Stops sending reads to <paramref name="nodeId"/> and completes when the reads in flight on it have
    /// finished (or after the drain timeout). A node that is not in use has nothing in flight.
    /// </summary>
    public async Task DrainAsync(string nodeId, CancellationToken cancellationToken)
    {
        var node = Volatile.Read(ref _current);
        if (node is null || (nodeId.Length > 0 && node.Id != nodeId))
        {
            return;
        }

        node.Reads.Close();
        LogDraining(node.Id, node.Reads.Count);
        await node.Reads.WaitIdleAsync(TimeSpan.FromMilliseconds(_options.DrainTimeoutMs), _time, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Node? node;
        lock (_gate)
        {
            _disposed = true;
            node = _current;
            _current = null;
        }

        if (node is not null)
        {
            await node.DisposeAsync();
        }
    }

    private async Task ConnectAsync(Node node)
    {
        var config = _base?.Clone() ?? new ConfigurationOptions();
        config.EndPoints.Clear();
        config.EndPoints.Add(node.Endpoint);
        if (!string.IsNullOrEmpty(_options.User))
        {
            config.User = _options.User;
        }

        if (!string.IsNullOrEmpty(_options.Password))
        {
            config.Password = _options.Password;
        }

        config.AbortOnConnectFail = false;
        // The connection's timeout bounds the reads of a started body; the reads before it are bounded by
        // CommandTimeoutMs in RedisLayer (StackExchange.Redis has one timeout per connection, not per command).
        config.AsyncTimeout = Math.Max(_options.StreamTimeoutMs, _options.CommandTimeoutMs);
        config.SyncTimeout = config.AsyncTimeout;
        config.ConnectTimeout = _options.ConnectTimeoutMs;
        config.ConnectRetry = 1;
        config.ClientName = "reactivecache-gateway";
        config.ReconnectRetryPolicy = new ExponentialRetry(100, 2_000);

        try
        {
            // Made here, not by Aspire.StackExchange.Redis (AddRedisClient): that client integration registers one
            // multiplexer for a connection string known at start-up and instruments that one, where the node is named
            // by the orchestrator at run time and replaced after every restart. Its tracing is the StackExchange.Redis
            // instrumentation, which the service defaults register and which is handed each node's multiplexer below.
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(config);
            if (node.Retired)
            {
                await multiplexer.DisposeAsync();
                return;
            }

            node.Traced = _instrumentation?.AddConnection(multiplexer);
            node.Multiplexer = multiplexer;
            if (!multiplexer.IsConnected)
            {
                LogNotYetConnected(node.Id, node.Endpoint);
            }
        }
        catch (Exception e) when (e is RedisException or ArgumentException or FormatException)
        {
            LogConnectFailed(e, node.Id, node.Endpoint);
        }
    }

    private async Task RetireAsync(Node node)
    {
        node.Retired = true;
        node.Reads.Close();
        await node.Reads.WaitIdleAsync(TimeSpan.FromMilliseconds(_options.DrainTimeoutMs), _time, CancellationToken.None);
        if (node.Connecting is { } connecting)
        {
            await connecting;
        }

        await node.DisposeAsync();
    }

    private static string Describe(EndPoint endpoint) => endpoint switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "",
    };

    [LoggerMessage(LogLevel.Information, "Cache node {NodeId} at {Endpoint} in use")]
    private partial void LogNodeChanged(string nodeId, string endpoint);

    [LoggerMessage(LogLevel.Information, "Cache node {NodeId} no longer in use")]
    private partial void LogNodeCleared(string nodeId);

    [LoggerMessage(LogLevel.Information, "Draining cache node {NodeId} ({InFlight} reads in flight)")]
    private partial void LogDraining(string nodeId, int inFlight);

    [LoggerMessage(LogLevel.Warning, "Cache node {NodeId} at {Endpoint} does not answer yet; reads fall back until it does")]
    private partial void LogNotYetConnected(string nodeId, string endpoint);

    [LoggerMessage(LogLevel.Warning, "Cannot connect to cache node {NodeId} at {Endpoint}")]
    private partial void LogConnectFailed(Exception exception, string nodeId, string endpoint);

    private sealed class Node(string id, string endpoint, DateTimeOffset namedAt) : IAsyncDisposable
    {
        public string Id { get; } = id;
        public DateTimeOffset NamedAt { get; } = namedAt;
        public string Endpoint { get; } = endpoint;
        /// <summary>The reads in flight on this node; closed while it drains or once it is retired.</summary>
        public InFlightGate Reads { get; } = new();

        public volatile bool Retired;
        public volatile ConnectionMultiplexer? Multiplexer;
        public Task? Connecting;

        /// <summary>The multiplexer's registration with the Redis instrumentation (null: not traced).</summary>
        public IDisposable? Traced;

        public async ValueTask DisposeAsync()
        {
            Traced?.Dispose();
            if (Multiplexer is { } multiplexer)
            {
                await multiplexer.DisposeAsync();
            }
        }
    }
}
