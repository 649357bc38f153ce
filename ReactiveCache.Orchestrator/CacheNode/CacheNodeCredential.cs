using StackExchange.Redis;

namespace ReactiveCache.Orchestrator.CacheNode;

/// <summary>A user of the cache node and its password (see <c>Core/Caching/CacheNodeUsers.cs</c> for what each may do).</summary>
public sealed record CacheNodeCredential(string User, string Password)
{
    /// <summary>Client options for <paramref name="endpoint"/>, signed in as this user.</summary>
    public ConfigurationOptions ConnectTo(CacheNodeEndpoint endpoint)
    {
        var options = ConfigurationOptions.Parse(endpoint.ToString());
        options.User = User;
        options.Password = Password;
        return options;
    }

    /// <summary>The user only: a credential in a log line or an exception message never shows its password.</summary>
    public override string ToString() => User;
}
