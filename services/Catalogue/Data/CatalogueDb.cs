using Cnh.Catalogue.Documents;
using Cnh.Contracts;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Catalogue.Data;

public sealed class CatalogueDb(DbContextOptions<CatalogueDb> options) : DbContext(options), IMessagingDbContext, IAuditedDbContext
{
    public DbSet<CatalogueInfo> Catalogues => Set<CatalogueInfo>();
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<Indicator> Indicators => Set<Indicator>();
    public DbSet<IndicatorVersion> IndicatorVersions => Set<IndicatorVersion>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<CatalogueInfo>(e =>
        {
            e.ToTable("catalogues");
            e.HasKey(c => c.Code);
            e.Property(c => c.Notes).HasJsonbConversion();
        });
        modelBuilder.Entity<Group>(e =>
        {
            e.ToTable("groups");
            e.HasKey(g => g.Code);
        });
        modelBuilder.Entity<Department>(e =>
        {
            e.ToTable("departments");
            e.HasKey(d => d.Code);
        });
        modelBuilder.Entity<Indicator>(e =>
        {
            e.ToTable("indicators");
            e.HasKey(i => i.Code);
            e.HasIndex(i => i.Group);
            e.HasIndex(i => i.ResponsibleDepartment);
            e.Property(i => i.Targets).HasJsonbConversion();
            e.Property(i => i.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<IndicatorVersion>(e =>
        {
            e.ToTable("indicator_versions");
            e.HasKey(v => new { v.Code, v.Version });
            e.Property(v => v.Definition).HasJsonbConversion();
        });
        modelBuilder.AddMessagingTables();
        modelBuilder.AddAuditTable();
    }
}

/// <summary>The catalogue's own description, kept so that an export reads like the file it was imported from.</summary>
public sealed class CatalogueInfo
{
    public required string Code { get; set; }
    public string? Title { get; set; }
    public string? TitleEn { get; set; }
    public List<string> Notes { get; set; } = new();
}

public sealed class Group
{
    public required string Code { get; set; }
    public required string NameVi { get; set; }
    public required string NameEn { get; set; }
    public int ExpectedCount { get; set; }
    public int SortOrder { get; set; }
}

public sealed class Department
{
    public required string Code { get; set; }
    public required string NameVi { get; set; }
    public required string NameEn { get; set; }
}

public sealed class Indicator
{
    public required string Code { get; set; }
    public required string Catalogue { get; set; }
    public required string Group { get; set; }
    public required string NameVi { get; set; }
    public required string NameEn { get; set; }
    public required string Unit { get; set; }
    public required string Direction { get; set; }
    public int? BaselineYear { get; set; }
    public double? BaselineValue { get; set; }
    public List<TargetDefinition> Targets { get; set; } = new();
    public required string ResponsibleDepartment { get; set; }
    public List<string> CoordinatingDepartments { get; set; } = new();
    public required string ReportingFrequency { get; set; }
    public double Weight { get; set; } = 1;
    public required string Confidence { get; set; }
    public string? Source { get; set; }
    public string? NationalAlignment { get; set; }
    public int DueDays { get; set; } = IndicatorDefaults.DueDays;
    public double? PlausibleMin { get; set; }
    public double? PlausibleMax { get; set; }
    public int Version { get; set; }
    public bool Retired { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One version of an indicator as it was defined; every change adds one, none is ever rewritten.</summary>
public sealed class IndicatorVersion
{
    public required string Code { get; set; }
    public int Version { get; set; }
    public required IndicatorDocument Definition { get; set; }
    public bool Retired { get; set; }
    public required string Change { get; set; }
    public required string ChangedBy { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}

public sealed record TargetDefinition(int Year, double? Min, double? Max, string Op, string? TargetStatus = null, string? Source = null);

public sealed class DesignTimeFactory : DesignTimeFactory<CatalogueDb>;
