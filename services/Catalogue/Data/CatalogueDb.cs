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
    public DbSet<CatalogueRelease> Releases => Set<CatalogueRelease>();
    public DbSet<ReleasedDefinition> ReleasedDefinitions => Set<ReleasedDefinition>();
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
            e.Property(v => v.Document).HasMaxLength(300);
        });
        modelBuilder.Entity<CatalogueRelease>(e =>
        {
            e.ToTable("catalogue_releases");
            e.HasKey(r => r.Document);
            e.Property(r => r.Document).HasMaxLength(300);
            e.Property(r => r.Summary).HasJsonbConversion();
        });
        modelBuilder.Entity<ReleasedDefinition>(e =>
        {
            e.ToTable("released_definitions");
            e.HasKey(r => r.Code);
            e.Property(r => r.Definition).HasJsonbConversion();
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

    /// <summary>The document this definition came from (a seed release, <c>file@sha256-prefix</c>); null for a change made
    /// through the API.</summary>
    public string? Document { get; set; }
}

/// <summary>A seed document applied at start, and what it changed (<see cref="Seed.ReleaseSummary"/>).</summary>
public sealed class CatalogueRelease
{
    public required string Document { get; set; }
    public required string Catalogue { get; set; }
    public DateTimeOffset AppliedAt { get; set; }
    public required Seed.ReleaseSummary Summary { get; set; }
}

/// <summary>
/// The definition the latest applied seed document gave an indicator: what tells a release's change (the new document
/// differs from it) from an administrator's (the indicator differs from it).
/// </summary>
public sealed class ReleasedDefinition
{
    public required string Code { get; set; }
    public required IndicatorDocument Definition { get; set; }
    public required string Document { get; set; }
}

public sealed record TargetDefinition(int Year, double? Min, double? Max, string Op, string? TargetStatus = null, string? Source = null);

public sealed class DesignTimeFactory : DesignTimeFactory<CatalogueDb>;
