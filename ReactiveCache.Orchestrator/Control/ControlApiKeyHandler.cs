using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ReactiveCache.Orchestrator.Control;

/// <summary>
/// Authenticates the control API's callers by key: <c>Authorization: Bearer &lt;key&gt;</c> (or <c>X-Api-Key</c>, or the
/// password of <c>Authorization: Basic</c>, for senders such as an SNS subscription that can only put a user and password in the URL),
/// compared in constant time with <c>ControlApi:Key</c> (role <see cref="Operator"/>) and <c>ControlApi:ReadKey</c>
/// (role <see cref="Reader"/>); never logged. Refusals are problem+json: 401 without a valid key, 403 with a key
/// that may not do what was asked. Written by hand: ASP.NET Core ships the authentication framework but no API-key
/// scheme, and a JWT bearer would need an issuer the local run does not have.
/// </summary>
public sealed class ControlApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggers,
    UrlEncoder encoder,
    IOptionsMonitor<ControlApiOptions> options,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggers, encoder)
{
    public const string SchemeName = "ControlApiKey";
    public const string Operator = "operator";
    public const string Reader = "reader";
    public const string KeyHeader = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var o = options.CurrentValue;
        var role = Matches(presented, o.Key) ? Operator : Matches(presented, o.ReadKey) ? Reader : null;
        if (role is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The control API key is not valid."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, role), new Claim(ClaimTypes.Role, role)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteAsync(StatusCodes.Status401Unauthorized, "Unauthenticated",
            "Send the control API key as 'Authorization: Bearer <key>' (the AppHost's control-api-key parameter).");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await WriteAsync(StatusCodes.Status403Forbidden, "Forbidden", "This key may read the control API but not change anything.");
    }

    private async Task WriteAsync(int status, string title, string detail) =>
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
                return pair.IndexOf(':') is var colon and >= 0 ? pair[(colon + 1)..] : null;
            }
            catch (FormatException)
            {
                return "";
            }
        }

        return request.Headers[KeyHeader].ToString() is { Length: > 0 } key ? key : null;
    }

    /// <summary>Constant time in the key's content and length: both are hashed first.</summary>
    private static bool Matches(string presented, string? key) =>
        !string.IsNullOrEmpty(key)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
