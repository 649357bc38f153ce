using System.Diagnostics;
using System.Threading.Channels;

namespace ReactiveCache.LambdaEmulator.Environments;

/// <summary>
/// One execution environment: a real process of the function's runtime, which polls the Runtime API
/// under <c>/runtime-api/{Id}/…</c>. Reused while warm; killed at the function timeout, when reaped or
/// when the emulator stops.
/// </summary>
public sealed class ExecutionEnvironment : IDisposable
{
    private readonly Channel<PendingInvocation> _next = Channel.CreateBounded<PendingInvocation>(1);
    private readonly TaskCompletionSource _firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private Process? _process;
    private Activity? _coldStart;

    public ExecutionEnvironment(string functionName, FunctionDefinition definition, ILogger logger)
    {
        FunctionName = functionName;
        Definition = definition;
        _logger = logger;
    }

    public string Id { get; } = $"env-{Guid.NewGuid():N}"[..16];

    /// <summary>
    /// The secret in this environment's Runtime API path (<c>/runtime-api/{Id}/{secret}/…</c>): only its own process
    /// (whose <c>AWS_LAMBDA_RUNTIME_API</c> carries it) can take its invocations or answer them; the id alone is
    /// listed and guessable, the secret is not.
    /// </summary>
    private readonly string _runtimeSecret = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>This environment's Runtime API path under <paramref name="prefix"/>.</summary>
    public string RuntimeApiPath(string prefix) => $"{prefix}/{Id}/{_runtimeSecret}";

    /// <summary>Whether <paramref name="secret"/> is this environment's Runtime API secret (constant time).</summary>
    public bool HasRuntimeSecret(string? secret) =>
        secret is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(_runtimeSecret));

    public string FunctionName { get; }

    public FunctionDefinition Definition { get; }

    public EnvironmentState State { get; private set; } = EnvironmentState.Initializing;

    public int ProcessId { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset IdleSince { get; private set; }

    public int Invocations { get; private set; }

    /// <summary>The cold start: process start → the runtime's first <c>next</c> (null until then).</summary>
    public TimeSpan? ColdStart { get; private set; }

    /// <summary>The invocation being run (between assignment and response).</summary>
    public PendingInvocation? Current { get; private set; }

    /// <summary>Completes at the runtime's first <c>next</c>: the end of the cold start.</summary>
    public Task Ready => _firstNext.Task;

    /// <summary>Starts the process; <paramref name="runtimeApi"/> is this environment's <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public void Start(string runtimeApi, ActivityContext parent)
    {
        var info = new ProcessStartInfo(Definition.Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Definition.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in Definition.Args)
        {
            info.ArgumentList.Add(arg);
        }

        // The emulator's own listening and telemetry identity must not leak into the function.
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "HTTP_PORTS", "HTTPS_PORTS", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_SERVICE_NAME" })
        {
            info.Environment.Remove(name);
        }

        // Nor its settings: its Invoke key pair is not the function's to know.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("Emulator__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi;
        info.Environment["AWS_LAMBDA_FUNCTION_NAME"] = FunctionName;
        info.Environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        info.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = Definition.MemoryMb.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["AWS_LAMBDA_LOG_STREAM_NAME"] = Id;
        info.Environment["OTEL_SERVICE_NAME"] = FunctionName;
        foreach (var (name, value) in Definition.Environment)
        {
            info.Environment[name] = value;
        }

        _coldStart = EmulatorTelemetry.Start("cold start", ActivityKind.Internal, parent);
        _coldStart?.SetTag("faas.name", FunctionName);
        _coldStart?.SetTag("faas.instance", Id);
        StartedAt = DateTimeOffset.UtcNow;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.Exited += (_, _) => OnExited();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        ProcessId = process.Id;
        _coldStart?.SetTag("process.pid", ProcessId);
        _logger.LogInformation("[{Environment}] cold start of {Function}: process {Pid} ({Command})", Id, FunctionName, ProcessId, Definition.Command);
    }

    /// <summary>Hands an invocation to this environment (it must be reserved, i.e. Busy).</summary>
    public void Assign(PendingInvocation invocation)
    {
        lock (_gate)
        {
            Current = invocation;
            Invocations++;
        }

        if (!_next.Writer.TryWrite(invocation))
        {
            throw new InvalidOperationException($"Environment {Id} already has an invocation waiting.");
        }
    }

    /// <summary>Reserves an idle environment for an invocation (warm start); false if it is not idle.</summary>
    public bool TryReserve()
    {
        lock (_gate)
        {
            if (State != EnvironmentState.Idle)
            {
                return false;
            }

            State = EnvironmentState.Busy;
            return true;
        }
    }

    /// <summary>A fresh environment is reserved from the start.</summary>
    public void ReserveNew()
    {
        lock (_gate)
        {
            State = EnvironmentState.Busy;
        }
    }

    /// <summary>The runtime's <c>next</c>: the end of a cold start, then the next invocation (long poll).</summary>
    public async Task<PendingInvocation> NextAsync(CancellationToken cancellationToken)
    {
        if (!_firstNext.Task.IsCompleted)
        {
            ColdStart = DateTimeOffset.UtcNow - StartedAt;
        }

        if (_firstNext.TrySetResult())
        {
            _coldStart?.Dispose();
            EmulatorTelemetry.StartedUp(DateTimeOffset.UtcNow - StartedAt, cold: true);
            _logger.LogInformation("[{Environment}] runtime ready after {Ms} ms", Id, (long)(DateTimeOffset.UtcNow - StartedAt).TotalMilliseconds);
        }

        return await _next.Reader.ReadAsync(cancellationToken);
    }

    /// <summary>The function answered (or failed) <paramref name="requestId"/>: the environment is idle again.</summary>
    public bool Complete(string requestId, InvocationResult result)
    {
        PendingInvocation? invocation;
        lock (_gate)
        {
            invocation = Current;
            if (invocation is null || invocation.RequestId != requestId)
            {
                return false;
            }

            Current = null;
            if (State == EnvironmentState.Busy)
            {
                State = EnvironmentState.Idle;
                IdleSince = DateTimeOffset.UtcNow;
            }
        }

        invocation.TryComplete(result);
        return true;
    }

    /// <summary>Kills the process; a running invocation fails with <paramref name="errorType"/>.</summary>
    public void Kill(string errorType, string reason)
    {
        if (!TryDie(out var invocation))
        {
            return;
        }

        _logger.LogInformation("[{Environment}] killing process {Pid}: {Reason}", Id, ProcessId, reason);
        invocation?.TryComplete(InvocationResult.Error(errorType, reason));
        EndColdStart(reason);
        try
        {
            if (_process is { HasExited: false } process)
            {
                var started = process.StartTime;
                KillTree(process);
                _ = ConfirmKilledAsync(ProcessId, started);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    /// <summary>
    /// Kills the process and its children. The tree kill first walks every process on the machine and throws
    /// <see cref="InvalidOperationException"/> (or <see cref="AggregateException"/>) when that walk or a child's kill
    /// fails, which is not "the process exited": it then left the process running, silently (seen twice in CI, a
    /// killed function still sleeping 15 s later). Then the process itself is killed, with no walk.
    /// </summary>
    private void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or AggregateException or System.ComponentModel.Win32Exception)
        {
            _logger.LogWarning(e, "[{Environment}] killing the tree of process {Pid} failed: killing the process alone", Id, ProcessId);
            process.Kill();
        }
    }

    /// <summary>How long a killed process may take to be gone before it is killed again.</summary>
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A killed process must be gone: once (in CI) one was still running, sleeping, 15 s after its tree was killed, with no
    /// error. Checked by pid and start time after <see cref="KillGrace"/> (the <see cref="Process"/> itself is disposed
    /// by then), killed again and logged if it still runs: a reclaimed slot must not keep a process.
    /// </summary>
    private async Task ConfirmKilledAsync(int pid, DateTime started)
    {
        await Task.Delay(KillGrace);
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited || process.StartTime != started)
            {
                return; // gone, or its pid is another process's now
            }

            _logger.LogWarning("[{Environment}] process {Pid} is still there {Ms} ms after it was killed: killing it again", Id, pid, KillGrace.TotalMilliseconds);
            KillTree(process);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or AggregateException)
        {
            // gone meanwhile (GetProcessById: not running; the rest: exited while looked at)
        }
    }

    private void OnExited()
    {
        var code = _process?.ExitCode;
        if (!TryDie(out var invocation))
        {
            return;
        }

        _logger.LogWarning("[{Environment}] process {Pid} exited with {Code}", Id, ProcessId, code);
        EndColdStart("exited before the first next");
        invocation?.TryComplete(InvocationResult.Error("Runtime.ExitError", $"RequestId: {invocation.RequestId} Error: Runtime exited with error: exit status {code}"));
    }

    /// <summary>Marks the environment dead (once) and hands back the invocation it was running, if any.</summary>
    private bool TryDie(out PendingInvocation? invocation)
    {
        lock (_gate)
        {
            invocation = null;
            if (State == EnvironmentState.Dead)
            {
                return false;
            }

            State = EnvironmentState.Dead;
            invocation = Current;
            Current = null;
            return true;
        }
    }

    private void EndColdStart(string reason)
    {
        _coldStart?.SetStatus(ActivityStatusCode.Error, reason);
        _coldStart?.Dispose();
    }

    private void Log(string? line)
    {
        if (line is not null)
        {
            _logger.LogInformation("[{Environment}] {Line}", Id, line);
        }
    }

    public void Dispose()
    {
        Kill("Runtime.Shutdown", "the emulator is stopping");
        _process?.Dispose();
    }
}
