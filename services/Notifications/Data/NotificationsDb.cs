using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Cnh.Notifications.Data;

public sealed class NotificationsDb(DbContextOptions<NotificationsDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Alert>(e =>
        {
            e.ToTable("alerts");
            e.HasKey(a => a.Id);
            e.HasIndex(a => a.SourceEventId).IsUnique();
            e.HasIndex(a => a.CreatedAt);
            e.HasIndex(a => new { a.Department, a.CreatedAt });
        });
        modelBuilder.AddMessagingTables();
        modelBuilder.UseSnakeCaseNames();
    }
}

/// <summary>One entry of the in-app feed.</summary>
public sealed class Alert
{
    public Guid Id { get; set; }
    /// <summary>The event that raised it; unique, so a repeated event cannot raise a second alert.</summary>
    public Guid SourceEventId { get; set; }
    public required string Kind { get; set; }
    public required string Severity { get; set; }
    public required string IndicatorCode { get; set; }
    public required string Group { get; set; }
    public required string Department { get; set; }
    public List<string> CoordinatingDepartments { get; set; } = new();
    public string? PreviousStatus { get; set; }
    public required string NewStatus { get; set; }
    public double? Score { get; set; }
    public string? Period { get; set; }
    public required string Message { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<NotificationsDb>
{
    public NotificationsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<NotificationsDb>().UseNpgsql("Host=127.0.0.1;Database=design").Options);
}
