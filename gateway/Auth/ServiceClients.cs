using System.Security.Claims;
using Cnh.Contracts;
using Cnh.Gateway.Data;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace Cnh.Gateway.Auth;

/// <summary>A client another process of the platform uses (the portal's <c>viewer</c>), with its secret in a private file.</summary>
public sealed class ServiceClientOptions
{
    public string Role { get; set; } = Roles.Viewer;
    public string? SecretFile { get; set; }
}

/// <summary>
/// Gives each process named in <c>Auth:ServiceClients</c> its own client: created when missing, and given a new secret when
/// its secret file is gone (the old secret stops working, as after a rotation through <c>/api/clients</c>); a revoked one stays revoked.
/// Only the hash
/// is stored in the database; the plain secret lives in the owner-only file the process reads.
/// </summary>
public sealed class ServiceClientProvisioning(
    IServiceScopeFactory scopes,
    RevocationListBuilder revocations,
    TokenServerOptions serverOptions,
    ILogger<ServiceClientProvisioning> logger
) : IHostedService
{
    static readonly ClaimsPrincipal System = new(
        new ClaimsIdentity([new Claim(CnhClaims.ClientId, "system:provisioning"), new Claim(CnhClaims.Role, "system")])
    );

    public async Task StartAsync(CancellationToken ct)
    {
        var clients = serverOptions.ServiceClients;
        var changed = false;
        foreach (var (clientId, options) in clients)
        {
            if (string.IsNullOrEmpty(options.SecretFile))
                continue;
            if (options.Role is not (Roles.Viewer or Roles.Admin))
                throw new InvalidOperationException($"Auth:ServiceClients:{clientId}:Role must be {Roles.Viewer} or {Roles.Admin}.");
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GatewayDb>();
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var row = await db.Clients.FirstOrDefaultAsync(c => c.ClientId == clientId, ct);
            if (row is { RevokedAt: not null })
            {
                // An admin revoked it on purpose: bringing it back would undo that. Make a new client id instead.
                logger.LogWarning("Service client {ClientId} is revoked; its process cannot call the API", clientId);
                continue;
            }
            if (row is not null && row.Role == options.Role && File.Exists(options.SecretFile))
                continue;

            var secret = ClientCredentials.NewSecret();
            var now = DateTimeOffset.UtcNow;
            if (row is null)
            {
                db.Clients.Add(
                    new ApiClientRow
                    {
                        ClientId = clientId,
                        Role = options.Role,
                        Description = "service client",
                        CreatedAt = now,
                        SecretIssuedAt = now,
                    }
                );
                db.Audit(System, "client.created", "client", clientId, new { role = options.Role });
                await ClientCredentials.CreateAsync(applications, clientId, secret, "service client", ct);
            }
            else
            {
                (row.SecretIssuedAt, row.Role) = (now, options.Role);
                db.Audit(System, "client.secret-rotated", "client", clientId, new { role = options.Role, reason = "secret file missing" });
                await ClientCredentials.RotateAsync(applications, clientId, secret, ct);
            }
            PrivateFiles.Write(options.SecretFile, secret);
            logger.LogInformation(
                "Service client {ClientId} ({Role}) has a new secret in {Path}",
                clientId,
                options.Role,
                options.SecretFile
            );
            changed = true;
        }
        if (changed)
            await revocations.RefreshAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
