using System.Collections.Frozen;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Claims;
using Cnh.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cnh.ServiceDefaults;

/// <summary>A client changed while its tokens may still be unexpired: revoked, or given a new secret.</summary>
public sealed record ChangedClient(string ClientId, bool Revoked, string SecretGeneration);

/// <summary>The gateway's revocation list, as it publishes it at <c>/auth/revocations</c>.</summary>
public sealed record Revocations(IReadOnlyList<ChangedClient> Clients, IReadOnlyList<string> Tokens)
{
    public static readonly Revocations None = new([], []);
}

/// <summary>
/// Tokens are validated by signature and lifetime; this refuses, besides, a valid token of a revoked client, one
/// issued under another secret than its client's current one, and one revoked on its own (RFC 7009). The gateway
/// fills it from its database; every service from the gateway's list, every few seconds.
/// </summary>
public sealed class RevocationList
{
    public const string SecretGenerationClaim = "cnh_secret_gen";
    /// <summary>OpenIddict's id of the stored token, which its revocation marks.</summary>
    public const string TokenIdClaim = "oi_tkn_id";

    volatile Snapshot _current = new(FrozenDictionary<string, ChangedClient>.Empty, FrozenSet<string>.Empty);

    sealed record Snapshot(FrozenDictionary<string, ChangedClient> Clients, FrozenSet<string> Tokens);

    public void Replace(Revocations revocations) => _current = new(
        revocations.Clients.ToFrozenDictionary(c => c.ClientId, StringComparer.Ordinal),
        revocations.Tokens.ToFrozenSet(StringComparer.Ordinal));

    public bool IsRevoked(ClaimsPrincipal user)
    {
        var current = _current;
        if (user.FindFirst(TokenIdClaim)?.Value is { } tokenId && current.Tokens.Contains(tokenId)) return true;
        var clientId = user.FindFirst(CnhClaims.ClientId)?.Value;
        return clientId is not null && current.Clients.TryGetValue(clientId, out var client) &&
               (client.Revoked || user.FindFirst(SecretGenerationClaim)?.Value != client.SecretGeneration);
    }

    /// <summary>The secret a token was issued under: its issue time in microseconds (PostgreSQL's precision).</summary>
    public static string SecretGeneration(DateTimeOffset secretIssuedAt) =>
        (secretIssuedAt.UtcTicks / 10).ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A service's copy of the gateway's revocation list, fetched every <c>Auth:RevocationRefreshSeconds</c> (2). Polled
/// rather than sent as an event: every instance of every service learns it, one started after the change included.
/// When the gateway cannot be reached the last copy stays (tokens still expire within their lifetime).
/// </summary>
public sealed class RevocationListRefresh(RevocationList list, AuthOptions options, IConfiguration configuration, IHttpClientFactory clients,
    ILogger<RevocationListRefresh> logger) : BackgroundService
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
                if (GatewayOnly.ReadSecret(configuration) is { } secret) request.Headers.TryAddWithoutValidation(GatewayOnly.Header, secret);
                using var response = await clients.CreateClient(HttpClientName).SendAsync(request, stoppingToken);
                response.EnsureSuccessStatusCode();
                list.Replace(await response.Content.ReadFromJsonAsync<Revocations>(stoppingToken) ?? Revocations.None);
                if (failing) logger.LogInformation("Revocation list fetched again");
                failing = false;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (!failing) logger.LogWarning("Could not fetch the gateway's revocation list; keeping the last copy: {Error}", ex.Message);
                failing = true;
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
