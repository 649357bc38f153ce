using System.Diagnostics;
using System.Globalization;

namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>
/// The peer of <c>bench gateway</c>: nginx (Debian's <c>nginx-light</c>) on a free loopback port with a generated
/// configuration, <c>proxy_cache</c> in front of an origin (the bare endpoint, holding the same objects), its
/// cache on disk in a temporary folder, each answer's cache status in <see cref="CacheStatusHeader"/>. Set up as
/// a user would for a cache in front of an origin: as many workers as cores, <c>sendfile</c>, kept-alive
/// connections to the origin, no access log (the gateway writes none either). Disposing stops it and deletes
/// the folder.
/// </summary>
public sealed class NginxProxyCache : IAsyncDisposable
{
    /// <summary>nginx's <c>$upstream_cache_status</c>: HIT, MISS, EXPIRED…</summary>
    public const string CacheStatusHeader = "X-Cache-Status";

    private readonly LocalProcess _master;
    private readonly string _folder;

    private NginxProxyCache(LocalProcess master, string folder, int port)
    {
        _master = master;
        _folder = folder;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    /// <summary>The nginx binary, or null when nginx is not installed.</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Concat(["/usr/sbin", "/usr/bin", "/usr/local/sbin"])
        .Select(dir => Path.Combine(dir, "nginx"))
        .FirstOrDefault(File.Exists);

    /// <summary>CPU time nginx's master and worker processes have used so far.</summary>
    public TimeSpan CpuTime => _master.CpuTime;

    /// <summary>Starts nginx caching <c>GET /objects/{key}</c> of <paramref name="origin"/>.</summary>
    public static async Task<NginxProxyCache> StartAsync(string binary, Uri origin, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("reactive-cache-nginx-").FullName;
        var port = BenchPorts.Free();
        var config = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(folder, port, origin), cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            // Workers run as an unprivileged user when nginx is started by root: they must reach the cache folder.
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                         | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var info = new ProcessStartInfo(binary);
        foreach (var argument in new[] { "-p", folder, "-c", config, "-e", Path.Combine(folder, "error.log"), "-g", "daemon off;" })
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            return new NginxProxyCache(await LocalProcess.StartAsync(info, port, "nginx", TimeSpan.FromSeconds(10), cancellationToken), folder, port);
        }
        catch (InvalidOperationException e)
        {
            var log = File.Exists(Path.Combine(folder, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(folder, "error.log"), cancellationToken) : "";
            DeleteFolder(folder);
            throw new InvalidOperationException($"{e.Message}\n{log}", e);
        }
    }

    /// <summary>GETs every object until nginx answers it from its cache, so that the measured answers are all hits.</summary>
    public async Task WarmAsync(LoadGenerator load, IReadOnlyDictionary<string, byte[]> objects, CancellationToken cancellationToken)
    {
        foreach (var (key, body) in objects)
        {
            for (var attempt = 0; ; attempt++)
            {
                var status = await load.ProbeAsync(new Uri(BaseAddress, $"objects/{key}"), body.Length, cancellationToken, CacheStatusHeader);
                if (status == "HIT")
                {
                    break;
                }

                if (attempt == 10)
                {
                    throw new InvalidOperationException($"nginx did not cache {key} (cache status {status} after {attempt + 1} GETs).");
                }
            }
        }
    }

    private static string Config(string folder, int port, Uri origin)
    {
        var user = Environment.UserName == "root" ? "user nobody nogroup;" : "";
        return string.Create(CultureInfo.InvariantCulture, $$"""
            {{user}}
            worker_processes auto;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                sendfile on;
                tcp_nopush on;
                tcp_nodelay on;
                keepalive_timeout 75s;
                keepalive_requests 10000000;
                client_body_temp_path {{folder}}/client_body;
                proxy_temp_path {{folder}}/proxy_temp;
                fastcgi_temp_path {{folder}}/fastcgi_temp;
                uwsgi_temp_path {{folder}}/uwsgi_temp;
                scgi_temp_path {{folder}}/scgi_temp;
                proxy_cache_path {{folder}}/cache levels=1:2 keys_zone=objects:10m max_size=1g inactive=1h use_temp_path=off;
                upstream origin {
                    server {{origin.Host}}:{{origin.Port}};
                    keepalive 16;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location /objects/ {
                        proxy_pass http://origin;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_cache objects;
                        proxy_cache_valid 200 1h;
                        proxy_ignore_headers Cache-Control Expires Set-Cookie;
                        proxy_cache_lock on;
                        add_header {{CacheStatusHeader}} $upstream_cache_status always;
                    }
                }
            }
            """);
    }

    public async ValueTask DisposeAsync()
    {
        await _master.DisposeAsync();
        DeleteFolder(_folder);
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Files the workers still held: left in the temporary folder.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
