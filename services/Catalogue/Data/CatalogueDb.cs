using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Catalogue.Data;

public sealed class CatalogueDb(DbContextOptions<CatalogueDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<Indicator> Indicators => Set<Indicator>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Group>(e => { e.ToTable("groups"); e.HasKey(g => g.Code); });
        modelBuilder.Entity<Department>(e => { e.ToTable("departments"); e.HasKey(d => d.Code); });
        modelBuilder.Entity<Indicator>(e =>
        {
            e.ToTable("indicators");
            e.HasKey(i => i.Code);
            e.HasIndex(i => i.Group);
            e.HasIndex(i => i.ResponsibleDepartment);
            e.Property(i => i.Targets).HasJsonbConversion();
            e.Property(i => i.Version).IsConcurrencyToken();
        });
        modelBuilder.AddMessagingTables();
        modelBuilder.UseSnakeCaseNames();
    }
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
    public int Version { get; set; }
    public bool Retired { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed record TargetDefinition(int Year, double? Min, double? Max, string Op, string? TargetStatus = null, string? Source = null);

public sealed class DesignTimeFactory : DesignTimeFactory<CatalogueDb>;
