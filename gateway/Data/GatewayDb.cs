using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Gateway.Data;

/// <summary>The gateway's own database: the API clients it issues tokens to, and the audit of changes to them.</summary>
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
    }
}

/// <summary>A client's secret is kept only as a PBKDF2 hash; its plain text is shown once, when created or rotated.</summary>
public sealed class ApiClientRow
{
    public required string ClientId { get; set; }
    public required string SecretHash { get; set; }
    public required string Role { get; set; }
    public string? Department { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset SecretIssuedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public sealed class DesignTimeFactory : DesignTimeFactory<GatewayDb>;
