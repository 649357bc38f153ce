using System.Buffers;

namespace ReactiveCache.Core.Caching;

/// <summary>
/// Who may do what on the cache node. Gateways only read entries, so they sign in as a user that can run the
/// reads of the Redis layer and what the client sends while it connects, and nothing that changes data; the
/// orchestrator's loader signs in as a user that can also store, scan and delete entries (and nothing more: no
/// flush, no configuration). The rules are Redis ACL rules that both servers parse the same way: the local Garnet
/// node writes them into its ACL file, the EC2 node's Redis into its configuration (deploy/stack.yaml, checked
/// against these by TemplateChecksTests), the tests' redis-server takes them as <c>--user</c> arguments. Commands
/// are named one by one (no categories): Garnet's and Redis's categories do not hold the same commands.
/// </summary>
public static class CacheNodeUsers
{
    /// <summary>The gateways' user name unless configured otherwise.</summary>
    public const string Reader = "gateway";

    /// <summary>The loader's user name unless configured otherwise.</summary>
    public const string Writer = "loader";

    /// <summary>What every connection needs: sign-in, liveness, and the client's handshake (its name, the server's version and role).</summary>
    private const string Connection = "+auth +hello +ping +echo +info +client|setname";

    /// <summary>The reader's commands: the Redis layer reads entries a field (a chunk) at a time; an existence check reads nothing more.</summary>
    public const string ReaderRules = "-@all " + Connection + " +hget +exists";

    /// <summary>The writer's commands: the reader's, and what loading (one transaction: DEL, then HSET, or HMSET as the client sends it for several fields), adopting and evicting entries take.</summary>
    public const string WriterRules = ReaderRules + " +hset +hmset +del +unlink +scan +multi +exec +discard";

    private static readonly SearchValues<char> PasswordCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&()*+,-./:;<=>?@[]^_{|}~");

    /// <summary>
    /// Whether <paramref name="value"/> can be a user name or password in a rule line: printable, without spaces,
    /// quotes or backslashes, which both servers would read as the end of the token or as escapes.
    /// </summary>
    public static bool IsPlainToken(string? value) =>
        !string.IsNullOrEmpty(value) && !value.AsSpan().ContainsAnyExcept(PasswordCharacters);

    /// <summary>A user that may sign in with <paramref name="password"/>, on every key, with <paramref name="rules"/>.</summary>
    public static string Rule(string user, string password, string rules)
    {
        if (!IsPlainToken(user) || !IsPlainToken(password))
        {
            throw new ArgumentException("Cache node user names and passwords must be printable ASCII without spaces, quotes or backslashes.");
        }

        return $"user {user} on >{password} ~* {rules}";
    }
}
