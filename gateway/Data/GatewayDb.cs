using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace Cnh.Gateway.Data;

/// <summary>The gateway's own database: the API clients it issues tokens to, their credentials and tokens (OpenIddict's tables), and the
/// audit of changes to them.</summary>
public sealed class GatewayDb(DbContextOptions<GatewayDb> options) : DbContext(options), IAuditedDbContext, IMessagingDbContext
{
    public DbSet<ApiClientRow> Clients => Set<ApiClientRow>();
    public DbSet<KnownDepartment> Departments => Set<KnownDepartment>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();
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
        modelBuilder.Entity<KnownDepartment>(e =>
        {
            e.ToTable("departments");
            e.HasKey(d => d.Code);
        });
        modelBuilder.AddAuditTable();
        modelBuilder.AddMessagingTables();
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

/// <summary>A department as the catalogue last defined it (<c>DepartmentDefined</c>): clients are given only to these.</summary>
public sealed class KnownDepartment
{
    public required string Code { get; set; }
    public required string NameVi { get; set; }
    public required string NameEn { get; set; }

    /// <summary>When the catalogue defined this version: an older event arriving late changes nothing.</summary>
    public DateTimeOffset DefinedAt { get; set; }
}

public sealed class DesignTimeFactory : DesignTimeFactory<GatewayDb>;
