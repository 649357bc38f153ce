using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReactiveCache.Core.Functions;
using ReactiveCache.Core.Objects;
using ReactiveCache.Domain.Policy;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Orchestrator.CacheNode;
using ReactiveCache.Orchestrator.Control;
using ReactiveCache.Orchestrator.Costs;
using ReactiveCache.Orchestrator.Engine;
using ReactiveCache.Orchestrator.Functions;
using ReactiveCache.Orchestrator.Gateways;
using ReactiveCache.Orchestrator.Invalidation;

namespace ReactiveCache.UnitTests.Orchestrator.Engine;

/// <summary>The orchestrator's engine wired as the host wires it, around a scripted policy, a fake node and a given store.</summary>
internal sealed class EngineRig : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly PolicyInbox _inbox = new();
    private readonly IHostedService[] _services;

    public EngineRig(ScriptedPolicy policy, IObjectStore store, EngineOptions? options = null, SizeLimitsOptions? sizeLimits = null,
        IHostApplicationLifetime? lifetime = null)
    {
        Policy = policy;
        var time = Time;
        var controller = new CacheNodeController(Node, time, NullLogger<CacheNodeController>.Instance);
        var loader = new NodeLoader(store, Options.Create(new CacheNodeOptions()), NullLogger<NodeLoader>.Instance);
        var functionOptions = Options.Create(new FunctionOptions());
        // The launcher gets as far as the (counting) invoker; the rest of the engine sees no tunnel URL (no gateway to wait for).
        var launcherOptions = Options.Create(new FunctionOptions { GatewayTunnelUrl = "http://127.0.0.1:9/tunnel/connect" });
        var tunnelSecret = Options.Create(new TunnelSecretOptions { Secret = "the-engine-rig-tunnel-secret-0123456789" });
        var launcher = new FunctionLauncher(Invoker, new FunctionTokens(tunnelSecret, launcherOptions, time), launcherOptions);
        var costs = new CostMeter(controller, time, Options.Create(new CostOptions()));
        // No reconciliation unless the test asks for one: the rig's engine starts from nothing.
        var engineOptions = Options.Create(options ?? new EngineOptions { ReconcileWindow = TimeSpan.Zero });
        Sizes = new ObjectSizes(store, _inbox, time, Options.Create(sizeLimits ?? new SizeLimitsOptions()));
        var node = Commands = new NodeCommands(controller, loader, Gateways, costs, Sizes, _inbox, time, engineOptions, NullLogger<NodeCommands>.Instance);
        var functions = new FunctionRunner(launcher, Hub, _inbox, costs, Sizes, time, NullLogger<FunctionRunner>.Instance);
        var nodeWork = new NodeWorkQueue(_inbox, time, NullLogger<NodeWorkQueue>.Instance);
        var pins = Pins = new RoutePins(Gateways, Hub, functions, nodeWork, node, _inbox, time);
        var executor = new CommandExecutor(Gateways, Hub, functions, nodeWork, node, pins, Sizes, engineOptions, NullLogger<CommandExecutor>.Instance);
        Invalidator = new ObjectInvalidator(Gateways, Hub, functions, nodeWork, node, pins, Sizes, loader, _inbox, time, NullLogger<ObjectInvalidator>.Instance);
        var states = new ObjectStates(policy, Gateways, pins, Options.Create(new PolicyOptions()), time, NullLogger<ObjectStates>.Instance);
        var reconciler = Reconciler = new Reconciler(Gateways, Node, node, loader, nodeWork, Hub, _inbox, time, engineOptions, functionOptions,
            NullLogger<Reconciler>.Instance, lifetime);
        _services =
        [
            nodeWork,
            reconciler,
            new LateFunctions(Hub, launcher, functions, pins, states, Gateways, reconciler, _inbox, time, NullLogger<LateFunctions>.Instance),
            new NodeWatcher(controller, Node, loader, nodeWork, node, time, engineOptions, NullLogger<NodeWatcher>.Instance),
            new GatewayEventPump(Gateways, _inbox, costs, NullLogger<GatewayEventPump>.Instance),
            new PolicyLoop(policy, _inbox, executor, pins, states, reconciler, time, NullLogger<PolicyLoop>.Instance),
        ];
    }

    public ScriptedPolicy Policy { get; }

    /// <summary>The engine's clock: the node watcher and the reconciliation wait on it (advance it to let them go on).</summary>
    public FakeTimeProvider Time { get; } = new();

    public RoutePins Pins { get; }

    public ObjectSizes Sizes { get; }

    public NodeCommands Commands { get; }

    /// <summary>The rig's function invoker: it starts no function (every invoke throws), but counts the invokes.</summary>
    public NoInvoker Invoker { get; } = new();

    public Reconciler Reconciler { get; }

    public ObjectInvalidator Invalidator { get; }

    public FakeCacheNode Node { get; } = new();

    public GatewaySessions Gateways { get; } = new(NullLogger<GatewaySessions>.Instance);

    public FunctionControlHub Hub { get; } = new(TimeProvider.System, NullLogger<FunctionControlHub>.Instance);

    public async Task StartAsync()
    {
        foreach (var service in _services)
        {
            await service.StartAsync(_stopping.Token);
        }
    }

    public void Post(PolicyEvent e) => _inbox.Post(e);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var service in _services.Reverse())
        {
            await service.StopAsync(CancellationToken.None);
            (service as IDisposable)?.Dispose();
        }

        _stopping.Dispose();
    }

    internal sealed class NoInvoker : IFunctionInvoker
    {
        private int _invokes;

        public int Invokes => Volatile.Read(ref _invokes);

        public Task<FunctionInvocation> InvokeAsync(FunctionPayload payload, FunctionInvocationType type, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _invokes);
            throw new InvalidOperationException("These tests start no function.");
        }
    }
}
