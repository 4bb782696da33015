using System.Security.Claims;
using System.Text.Json;
using Cnh.Contracts;
using Cnh.Gateway.Data;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace Cnh.Gateway.Auth;

public sealed record ClientFileEntry(string ClientId, string SecretHash, string Role, string? Department);

public sealed record ClientFile(IReadOnlyList<ClientFileEntry> Clients);

/// <summary>
/// The first clients, when the database has none: those of <c>Auth:ClientsFile</c> (ids, roles and PBKDF2 hashes, never
/// plain secrets — how a production installation gets its first admin), or in development one admin and one viewer,
/// whose plain secrets go to <see cref="DevelopmentCredentials"/> (each department's client follows when the catalogue
/// defines the department). After that, clients are managed through <c>/api/clients</c>.
/// </summary>
public sealed class ClientBootstrap(
    IServiceScopeFactory scopes,
    DevelopmentCredentials development,
    TokenServerOptions options,
    ILogger<ClientBootstrap> logger
) : IHostedService
{
    public static readonly ClaimsPrincipal System = new(
        new ClaimsIdentity([new Claim(CnhClaims.ClientId, "system:bootstrap"), new Claim(CnhClaims.Role, "system")])
    );

    public async Task StartAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDb>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.LockAsync("gateway", "bootstrap", ct);
        List<DevelopmentCredential> generated = [];
        if (!await db.Clients.AnyAsync(ct))
        {
            var clientsFile = options.ClientsFile;
            if (clientsFile is not null && File.Exists(clientsFile))
            {
                var file = JsonSerializer.Deserialize<ClientFile>(await File.ReadAllTextAsync(clientsFile, ct), JsonSerializerOptions.Web)
                    ?? throw new InvalidOperationException($"Client file {clientsFile} is empty.");
                foreach (var c in file.Clients)
                {
                    Add(db, c.ClientId, c.Role, c.Department);
                    db.Add(ClientCredentials.WithHashedSecret(c.ClientId, c.SecretHash, null));
                }
                logger.LogInformation("Imported {Count} API clients from {Path}", file.Clients.Count, clientsFile);
            }
            else if (development.Enabled)
            {
                var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
                generated =
                [
                    new("admin", ClientCredentials.NewSecret(), Roles.Admin, null),
                    new("viewer", ClientCredentials.NewSecret(), Roles.Viewer, null),
                    new("statistics", ClientCredentials.NewSecret(), Roles.Statistics, null),
                ];
                foreach (var c in generated)
                {
                    Add(db, c.ClientId, c.Role, c.Department);
                    await ClientCredentials.CreateAsync(applications, c.ClientId, c.ClientSecret, null, ct);
                }
                logger.LogWarning("Generated development API clients; secrets are in {Path}", options.DevelopmentCredentialsFile);
            }
            else
                logger.LogWarning("There are no API clients: put an admin's hash in Auth:ClientsFile to create the first one");
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        await development.AddAsync(generated, ct);
    }

    public static void Add(GatewayDb db, string clientId, string role, string? department)
    {
        var now = DateTimeOffset.UtcNow;
        db.Clients.Add(
            new ApiClientRow
            {
                ClientId = clientId,
                Role = role,
                Department = department,
                CreatedAt = now,
                SecretIssuedAt = now,
            }
        );
        db.Audit(System, "client.created", "client", clientId, new { role, department });
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
