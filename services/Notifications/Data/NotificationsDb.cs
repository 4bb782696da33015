using Cnh.ServiceDefaults;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Notifications.Data;

public sealed class NotificationsDb(DbContextOptions<NotificationsDb> options)
    : DbContext(options),
        IMessagingDbContext,
        IDataProtectionKeyContext,
        IAuditedDbContext
{
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>The Data Protection key ring (encrypted with a certificate kept outside the database): see WebhookSecrets.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<AlertRule> Rules => Set<AlertRule>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<DeliveryAttempt> Attempts => Set<DeliveryAttempt>();
    public DbSet<Briefing> Briefings => Set<Briefing>();
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
            e.Property(a => a.TraceParent).HasMaxLength(64);
        });
        modelBuilder.Entity<AlertRule>(e =>
        {
            e.ToTable("alert_rules");
            e.HasKey(r => r.Kind);
            e.HasData(AlertRule.Defaults);
        });
        modelBuilder.Entity<Subscription>(e =>
        {
            e.ToTable("subscriptions");
            e.HasKey(s => s.Id);
            e.HasIndex(s => s.Department);
        });
        modelBuilder.Entity<Delivery>(e =>
        {
            e.ToTable("deliveries");
            e.HasKey(d => d.Id);
            // One delivery per alert and subscription, however often the alert's event arrives.
            e.HasIndex(d => new { d.AlertId, d.SubscriptionId }).IsUnique();
            // And one per briefing and subscription.
            e.HasIndex(d => new { d.BriefingId, d.SubscriptionId }).IsUnique();
            e.HasIndex(d => new { d.Status, d.NextAttemptAt });
            e.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        });
        modelBuilder.Entity<DeliveryAttempt>(e =>
        {
            e.ToTable("delivery_attempts");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).UseIdentityAlwaysColumn();
            e.HasIndex(a => a.DeliveryId);
        });
        modelBuilder.Entity<Briefing>(e =>
        {
            e.ToTable("briefings");
            e.HasKey(b => b.Id);
            // The schedule's claim: one briefing per period, whichever instance (or restart) gets there first.
            e.HasIndex(b => b.Period).IsUnique();
        });
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        modelBuilder.AddAuditTable();
        modelBuilder.AddMessagingTables();
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

    /// <summary>W3C traceparent of the event that raised it: its deliveries continue that trace.</summary>
    public string? TraceParent { get; set; }
}

public static class AlertKinds
{
    public const string FellBehind = nameof(FellBehind);
    public const string Recovered = nameof(Recovered);
    public const string MilestoneMissed = nameof(MilestoneMissed);
    public const string SubmissionOverdue = nameof(SubmissionOverdue);
    public const string SubmissionDueSoon = nameof(SubmissionDueSoon);
    public const string SubmissionEscalated = nameof(SubmissionEscalated);
    public const string SubmissionReturned = nameof(SubmissionReturned);
    public const string ApprovalAwaited = nameof(ApprovalAwaited);
    public static readonly string[] All =
    [
        FellBehind,
        Recovered,
        MilestoneMissed,
        SubmissionOverdue,
        SubmissionDueSoon,
        SubmissionEscalated,
        SubmissionReturned,
        ApprovalAwaited,
    ];
}

/// <summary>Whether a kind of alert is raised, how severe it is, and who gets it.</summary>
public sealed class AlertRule
{
    public required string Kind { get; set; }
    public bool Enabled { get; set; } = true;
    public required string Severity { get; set; }
    public bool NotifyResponsible { get; set; } = true;
    public bool NotifyCoordinating { get; set; }
    public bool NotifyLeadership { get; set; } = true;

    public static readonly AlertRule[] Defaults =
    [
        new()
        {
            Kind = AlertKinds.FellBehind,
            Severity = "warning",
            NotifyCoordinating = true,
        },
        new() { Kind = AlertKinds.Recovered, Severity = "info" },
        new()
        {
            Kind = AlertKinds.MilestoneMissed,
            Severity = "critical",
            NotifyCoordinating = true,
        },
        new()
        {
            Kind = AlertKinds.SubmissionOverdue,
            Severity = "warning",
            NotifyLeadership = false,
        },
        new()
        {
            Kind = AlertKinds.SubmissionDueSoon,
            Severity = "info",
            NotifyLeadership = false,
        },
        // Leadership hears of a value only once it is long overdue; the department already had its reminders.
        new()
        {
            Kind = AlertKinds.SubmissionEscalated,
            Severity = "critical",
            NotifyResponsible = false,
        },
        new()
        {
            Kind = AlertKinds.SubmissionReturned,
            Severity = "warning",
            NotifyLeadership = false,
        },
        // The "responsible" department of this alert is the statistics office (Notifications:StatisticsOffice).
        new()
        {
            Kind = AlertKinds.ApprovalAwaited,
            Severity = "info",
            NotifyLeadership = false,
        },
    ];
}

public static class Channels
{
    public const string Webhook = "webhook";
    public const string Email = "email";
}

/// <summary>Where a department's (or leadership's) alerts go besides the in-app feed.</summary>
public sealed class Subscription
{
    public Guid Id { get; set; }
    public required string Channel { get; set; }

    /// <summary>A department's code, or null for the leadership group (all alerts the rules send to leadership).</summary>
    public string? Department { get; set; }
    public string? Url { get; set; }

    /// <summary>The HMAC key for webhook signatures, protected (<see cref="Delivery.WebhookSecrets"/>); shown once at creation, never
    /// returned again.</summary>
    public string? Secret { get; set; }
    public string? Email { get; set; }

    /// <summary>One message per period with every alert in it, instead of one per alert.</summary>
    public bool Digest { get; set; }
    public DateTimeOffset? LastDigestAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum DeliveryStatus
{
    Pending,
    Sending,
    Delivered,
    Failed,
    Digest,
}

/// <summary>One alert (or one briefing) to one subscription; stored before anything is sent, so a restart resumes it.</summary>
public sealed class Delivery
{
    public Guid Id { get; set; }
    public Guid? AlertId { get; set; }
    public Guid? BriefingId { get; set; }
    public Guid SubscriptionId { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>A worker that claimed it owns it until then; after a crash, another takes it over.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

public sealed class DeliveryAttempt
{
    public long Id { get; set; }
    public Guid DeliveryId { get; set; }
    public int Number { get; set; }
    public DateTimeOffset At { get; set; }
    public bool Succeeded { get; set; }
    public int? StatusCode { get; set; }
    public string? Error { get; set; }
    public double DurationMs { get; set; }
}

/// <summary>
/// The PDF briefing mailed to leadership: the schedule's one of a period (<c>Period</c> "2026-09"), or one an admin sent
/// at once (no period). The document is kept, so every recipient and every retry gets the same bytes.
/// </summary>
public sealed class Briefing
{
    public Guid Id { get; set; }
    public string? Period { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    public required string FileName { get; set; }
    public required byte[] Pdf { get; set; }
    public int Recipients { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class DesignTimeFactory : DesignTimeFactory<NotificationsDb>;
