using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ReactiveCache.Orchestrator.Invalidation;

/// <summary>
/// Confirms an SNS HTTPS subscription to <c>POST /invalidations</c>: SNS's first message carries a <c>SubscribeURL</c>,
/// and fetching it confirms the subscription. The URL comes from the request body, so it is fetched only when it is
/// SNS's own confirmation endpoint (<see cref="IsSnsSubscribeUrl"/>): HTTPS on port 443, a host
/// <c>sns.REGION.amazonaws.com</c> (<c>.com.cn</c> in China), no user information, the <c>ConfirmSubscription</c> action.
/// Anything else is refused without a request, so the endpoint cannot be made to call another address. (AWS's SNS SDK,
/// whose ConfirmSubscription would take only the token, is not among the packages this build may use.)
/// </summary>
public sealed partial class SnsSubscription(IHttpClientFactory httpClients, ILogger<SnsSubscription> logger)
{
    /// <summary>Whether <paramref name="url"/> is SNS's subscription confirmation endpoint (and then as a URI).</summary>
    public static bool IsSnsSubscribeUrl(string? url, [NotNullWhen(true)] out Uri? uri)
    {
        uri = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var candidate)
            || candidate.Scheme != Uri.UriSchemeHttps
            || candidate.Port != 443
            || candidate.UserInfo.Length > 0
            || candidate.HostNameType != UriHostNameType.Dns
            || !SnsHost().IsMatch(candidate.IdnHost)
            || candidate.AbsolutePath != "/"
            || !candidate.Query.Contains("Action=ConfirmSubscription", StringComparison.Ordinal))
        {
            return false;
        }

        uri = candidate;
        return true;
    }

    /// <summary>Fetches <paramref name="subscribeUrl"/> when it is SNS's; whether the subscription was confirmed.</summary>
    public async Task<bool> ConfirmAsync(string? subscribeUrl, CancellationToken cancellationToken)
    {
        if (!IsSnsSubscribeUrl(subscribeUrl, out var uri))
        {
            LogRefused(subscribeUrl ?? "(none)");
            return false;
        }

        try
        {
            using var http = httpClients.CreateClient(nameof(SnsSubscription));
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                LogConfirmed(uri.Host);
                return true;
            }

            LogFailed(null, uri.Host, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogFailed(e, uri.Host, 0);
        }

        return false;
    }

    [GeneratedRegex(@"^sns\.[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}\.amazonaws\.com(\.cn)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SnsHost();

    [LoggerMessage(LogLevel.Warning, "An SNS subscription confirmation names {Url}, which is not SNS's confirmation endpoint: not fetched")]
    private partial void LogRefused(string url);

    [LoggerMessage(LogLevel.Information, "Confirmed the SNS subscription through {Host}")]
    private partial void LogConfirmed(string host);

    [LoggerMessage(LogLevel.Error, "Confirming the SNS subscription through {Host} failed (status {Status}); ask SNS to send the confirmation again")]
    private partial void LogFailed(Exception? failure, string host, int status);
}
