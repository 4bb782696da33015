using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace Cnh.Gateway.Data;

/// <summary>The gateway's own database: the API clients it issues tokens to, their credentials and tokens (OpenIddict's tables), and the audit of changes to them.</summary>
public sealed class GatewayDb(DbContextOptions<GatewayDb> options) : DbContext(options), IAuditedDbContext
{
    public DbSet<ApiClientRow> Clients => Set<ApiClientRow>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ApiClientRow>(e =>
        {
            e.ToTable("api_clients");
            e.HasKey(c => c.ClientId);
            e.Property(c => c.ClientId).HasMaxLength(64);
            e.HasIndex(c => c.Department);
        });
        modelBuilder.AddAuditTable();
        // OpenIddict's applications (client credentials) and tokens, named like the platform's other tables.
        modelBuilder.UseOpenIddict();
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreApplication>().ToTable("openiddict_applications");
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreAuthorization>().ToTable("openiddict_authorizations");
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreScope>().ToTable("openiddict_scopes");
        modelBuilder.Entity<OpenIddictEntityFrameworkCoreToken>().ToTable("openiddict_tokens");
    }
}

/// <summary>
/// Who a client is. Its secret is an OpenIddict application's (only a PBKDF2 hash is kept; the plain text is shown once,
/// when created or rotated); a revoked client's row stays, without credentials.
/// </summary>
public sealed class ApiClientRow
{
    public required string ClientId { get; set; }
    public required string Role { get; set; }
    public string? Department { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset SecretIssuedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public sealed class DesignTimeFactory : DesignTimeFactory<GatewayDb>;
