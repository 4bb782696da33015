using Cnh.Gateway.Data;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Gateway.Auth;

public sealed record ApiClient(string ClientId, string SecretHash, string Role, string? Department, DateTimeOffset SecretIssuedAt, DateTimeOffset? RevokedAt)
{
    public static ApiClient From(ApiClientRow r) => new(r.ClientId, r.SecretHash, r.Role, r.Department, r.SecretIssuedAt, r.RevokedAt);
}

/// <summary>
/// The API clients, from the gateway's database. A token request reads its client fresh, so a new or rotated secret
/// works at once. Every other request checks its token against a copy refreshed every <c>Auth:ClientRefreshSeconds</c>
/// (and at once after a change made here): tokens of a revoked client, or issued before its secret was rotated, are
/// refused — within that interval on other gateway instances.
/// </summary>
public sealed class ClientStore(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<ClientStore> logger) : BackgroundService
{
    volatile Dictionary<string, ApiClient> _clients = new(StringComparer.Ordinal);

    public async Task<ApiClient?> AuthenticateAsync(string clientId, string clientSecret, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<GatewayDb>().Clients.AsNoTracking().FirstOrDefaultAsync(c => c.ClientId == clientId, ct);
        // Unknown clients cost a hash too, so that timing does not tell which client ids exist.
        var valid = ClientSecretHasher.Verify(clientSecret, row?.SecretHash ?? ClientSecretHasher.Decoy);
        return row is { RevokedAt: null } && valid ? ApiClient.From(row) : null;
    }

    /// <summary>False for a revoked client, or a token issued under another secret than the client's current one.</summary>
    public bool IsCurrent(string clientId, string? secretGeneration) =>
        !_clients.TryGetValue(clientId, out var client) || (client.RevokedAt is null && secretGeneration == SecretGeneration.Of(client.SecretIssuedAt));

    public async Task RefreshAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<GatewayDb>().Clients.AsNoTracking().ToListAsync(ct);
        _clients = rows.ToDictionary(r => r.ClientId, ApiClient.From, StringComparer.Ordinal);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Auth:ClientRefreshSeconds", 5))));
        do
        {
            try { await RefreshAsync(stoppingToken); }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not refresh the API clients; keeping the last copy");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

public static class RevokedTokens
{
    /// <summary>
    /// Services validate tokens by signature and lifetime only; the gateway, which knows the clients, refuses a valid
    /// token of a revoked client, or one issued before the client's current secret.
    /// </summary>
    public static IApplicationBuilder UseRevokedTokenRejection(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true &&
            !context.RequestServices.GetRequiredService<ClientStore>().IsCurrent(Cnh.ServiceDefaults.Authentication.ClientId(user), user.FindFirst(SecretGeneration.Claim)?.Value))
        {
            await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Token revoked",
                detail: "This client was revoked or its secret rotated after the token was issued; request a new token.").ExecuteAsync(context);
            return;
        }
        await next();
    });
}

/// <summary>The secret a token was issued under: its issue time in microseconds (PostgreSQL's precision).</summary>
public static class SecretGeneration
{
    public const string Claim = "cnh_secret_gen";

    public static string Of(DateTimeOffset secretIssuedAt) =>
        (secretIssuedAt.UtcTicks / 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
