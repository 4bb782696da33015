using System.Net.Http.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cnh.ServiceDefaults;

/// <summary>
/// A service's copy of the gateway's revocation list, fetched every <c>Auth:RevocationRefreshSeconds</c> (2). Polled
/// rather than sent as an event: every instance of every service learns it, one started after the change included.
/// When the gateway cannot be reached the last copy stays (tokens still expire within their lifetime).
/// </summary>
public sealed class RevocationListRefresh(
    RevocationList list,
    AuthOptions options,
    GatewaySecret gatewaySecret,
    IHttpClientFactory clients,
    ILogger<RevocationListRefresh> logger
) : BackgroundService
{
    public const string HttpClientName = nameof(RevocationListRefresh);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.RevocationRefreshSeconds)));
        var failing = false;
        do
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{options.Authority.TrimEnd('/')}/auth/revocations");
                if (gatewaySecret.Value is { } secret)
                    request.Headers.TryAddWithoutValidation(GatewayOnly.Header, secret);
                using var response = await clients.CreateClient(HttpClientName).SendAsync(request, stoppingToken);
                response.EnsureSuccessStatusCode();
                list.Replace(await response.Content.ReadFromJsonAsync<Revocations>(stoppingToken) ?? Revocations.None);
                if (failing)
                    logger.LogInformation("Revocation list fetched again");
                failing = false;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (!failing)
                    logger.LogWarning("Could not fetch the gateway's revocation list; keeping the last copy: {Error}", ex.Message);
                failing = true;
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
