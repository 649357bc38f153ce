using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ReactiveCache.Orchestrator.CacheNode;

/// <summary>
/// The local cache node: the ReactiveCache.CacheNode process (Garnet) on loopback, really started
/// and stopped. Its process id and port are kept in a state file, so that an orchestrator that
/// restarts adopts a node that is still running, as it would find an EC2 instance running.
/// </summary>
public sealed class LocalCacheNode(
    IOptions<CacheNodeOptions> options,
    IRedisProbe probe,
    ILogger<LocalCacheNode> logger) : ICacheNode
{
    private const string NodeAssembly = "ReactiveCache.CacheNode.dll";
    private readonly CacheNodeOptions _options = options.Value;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private string StateFile => Path.Combine(
        _options.StateDirectory ?? Path.Combine(Path.GetTempPath(), "reactive-cache"), "cache-node.state");

    public async Task<CacheNodeEndpoint> StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (ReadState() is { } running)
            {
                logger.LogInformation("Adopting the cache node already running as process {Pid} on port {Port}", running.Pid, running.Port);
                var adopted = new CacheNodeEndpoint(IPAddress.Loopback.ToString(), running.Port);
                await probe.WaitUntilReadyAsync(adopted, _options.Loader, _options.ReadyTimeout, cancellationToken);
                return adopted;
            }

            var port = _options.Port != 0 ? _options.Port : FreeLoopbackPort();
            var info = new ProcessStartInfo("dotnet")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, NodeAssembly));
            info.Environment["CACHENODE_PORT"] = port.ToString();
            // The node's two users: the loader's (this orchestrator) and the gateways' read-only one.
            info.Environment["CACHENODE_WRITER_USER"] = _options.User;
            info.Environment["CACHENODE_WRITER_PASSWORD"] = _options.Password;
            info.Environment["CACHENODE_READER_USER"] = _options.ReaderUser;
            info.Environment["CACHENODE_READER_PASSWORD"] = _options.ReaderPassword;
            info.Environment["CACHENODE_BOOT_DELAY_MS"] = ((int)_options.BootDelay.TotalMilliseconds).ToString();
            info.Environment["CACHENODE_MEMORY"] = _options.Memory;
            if (_options.OwnerProcessId is { } owner)
            {
                info.Environment["CACHENODE_OWNER_PID"] = owner.ToString();
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the cache node process.");
            process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) logger.LogInformation("[cache-node {Pid}] {Line}", process.Id, line); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) logger.LogWarning("[cache-node {Pid}] {Line}", process.Id, line); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            WriteState(new NodeState(process.Id, port));
            logger.LogInformation("Started the cache node process {Pid} on port {Port}", process.Id, port);

            var endpoint = new CacheNodeEndpoint(IPAddress.Loopback.ToString(), port);
            try
            {
                // A node process that dies while booting fails the start at once, not after the ready timeout.
                using var exited = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                EventHandler onExit = (_, _) => exited.Cancel();
                process.EnableRaisingEvents = true;
                process.Exited += onExit;
                try
                {
                    if (process.HasExited)
                    {
                        await exited.CancelAsync();
                    }

                    await probe.WaitUntilReadyAsync(endpoint, _options.Loader, _options.BootDelay + _options.ReadyTimeout, exited.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new InvalidOperationException($"The cache node process {process.Id} exited with code {process.ExitCode} while booting (see its output in the log).");
                }
                finally
                {
                    // The handler must not outlive the token source: the node exits later, when it is stopped.
                    process.Exited -= onExit;
                }
            }
            catch
            {
                Kill(process.Id);
                File.Delete(StateFile);
                throw;
            }

            return endpoint;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (ReadState() is not { } running)
            {
                return;
            }

            using var process = Process.GetProcessById(running.Pid);
            // SIGTERM first: the node closes its port; kill if it does not go in time.
            _ = SendSignal(running.Pid, SigTerm);
            using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            grace.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Kill(running.Pid);
            }

            File.Delete(StateFile);
            logger.LogInformation("Stopped the cache node process {Pid}", running.Pid);
        }
        catch (ArgumentException)
        {
            // The process is already gone.
            File.Delete(StateFile);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<bool> IsRunningAsync(CancellationToken cancellationToken) => Task.FromResult(ReadState() is not null);

    public async Task<CacheNodeEndpoint?> FindRunningAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (ReadState() is not { } running)
            {
                return null;
            }

            var endpoint = new CacheNodeEndpoint(IPAddress.Loopback.ToString(), running.Port);
            await probe.WaitUntilReadyAsync(endpoint, _options.Loader, _options.BootDelay + _options.ReadyTimeout, cancellationToken);
            return endpoint;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The node recorded in the state file, if its process is still alive and is a cache node.</summary>
    private NodeState? ReadState()
    {
        if (!File.Exists(StateFile))
        {
            return null;
        }

        var parts = File.ReadAllText(StateFile).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], out var pid) || !int.TryParse(parts[1], out var port))
        {
            File.Delete(StateFile);
            return null;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            if (!process.HasExited && CommandLineOf(pid).Contains(NodeAssembly, StringComparison.Ordinal))
            {
                return new NodeState(pid, port);
            }
        }
        catch (ArgumentException)
        {
            // Not running any more.
        }

        File.Delete(StateFile);
        return null;
    }

    private void WriteState(NodeState state)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StateFile)!);
        File.WriteAllText(StateFile, $"{state.Pid} {state.Port}");
    }

    private static string CommandLineOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private const int SigTerm = 15;

    // No managed API sends SIGTERM to another process; libc's kill(2) does.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private sealed record NodeState(int Pid, int Port);
}
