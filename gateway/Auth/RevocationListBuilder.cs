using Cnh.Gateway.Data;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace Cnh.Gateway.Auth;

/// <summary>
/// Keeps the gateway's <see cref="RevocationList"/> current: refreshed from the database every
/// <c>Auth:ClientRefreshSeconds</c> (and at once after a change made here), and published to the services at
/// <c>/auth/revocations</c>. It names only what can still matter — clients revoked or rotated, and tokens revoked,
/// within the longest token lifetime — so it stays small. Expired tokens are pruned from OpenIddict's table hourly.
/// </summary>
public sealed class RevocationListBuilder(
    IServiceScopeFactory scopes,
    RevocationList list,
    TokenServerOptions options,
    ILogger<RevocationListBuilder> logger
) : BackgroundService
{
    // Real time, always: tokens are issued and expire by it.
    static readonly TimeProvider clock = TimeProvider.System;

    public Revocations Revocations { get; private set; } = Revocations.None;

    /// <summary>Changes older than a token's lifetime (and the services' clock skew) no longer concern any valid token.</summary>
    TimeSpan Horizon => options.TokenLifetime + TimeSpan.FromMinutes(1);

    public async Task RefreshAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDb>();
        var now = clock.GetUtcNow();
        var since = now - Horizon;
        var clients = await db
            .Clients.AsNoTracking()
            .Where(c => c.SecretIssuedAt > since || c.RevokedAt > since)
            .Select(c => new
            {
                c.ClientId,
                c.RevokedAt,
                c.SecretIssuedAt,
            })
            .ToListAsync(ct);
        var tokens = await db.Set<OpenIddictEntityFrameworkCoreToken>()
            .AsNoTracking()
            .Where(t => t.Status == OpenIddictConstants.Statuses.Revoked && t.ExpirationDate > now.UtcDateTime)
            .Select(t => t.Id!)
            .ToListAsync(ct);
        Revocations = new Revocations(
            [
                .. clients.Select(c => new ChangedClient(
                    c.ClientId,
                    c.RevokedAt is not null,
                    RevocationList.SecretGeneration(c.SecretIssuedAt)
                )),
            ],
            tokens
        );
        list.Replace(Revocations);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.ClientRefreshSeconds)));
        var nextPrune = clock.GetUtcNow();
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
                if (clock.GetUtcNow() >= nextPrune)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope
                        .ServiceProvider.GetRequiredService<IOpenIddictTokenManager>()
                        .PruneAsync(clock.GetUtcNow() - Horizon, stoppingToken);
                    nextPrune = clock.GetUtcNow().AddHours(1);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not refresh the revocation list; keeping the last copy");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

public static class RevokedTokens
{
    /// <summary>
    /// A valid token of a revoked client, one issued before its client's current secret, or one revoked on its own, is
    /// refused here with a clear answer (each service refuses it too, once it has the list).
    /// </summary>
    public static IApplicationBuilder UseRevokedTokenRejection(this IApplicationBuilder app) =>
        app.Use(
            async (context, next) =>
            {
                if (
                    context.User.Identity?.IsAuthenticated == true
                    && context.RequestServices.GetRequiredService<RevocationList>().IsRevoked(context.User)
                )
                {
                    await Results
                        .Problem(
                            statusCode: StatusCodes.Status401Unauthorized,
                            title: "Token revoked",
                            detail: "This token, or its client, was revoked, or the client's secret rotated after it was "
                                + "issued; request a new token."
                        )
                        .ExecuteAsync(context);
                    return;
                }
                await next();
            }
        );
}
