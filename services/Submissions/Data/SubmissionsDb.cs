using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Submissions.Data;

public sealed class SubmissionsDb(DbContextOptions<SubmissionsDb> options) : DbContext(options), IMessagingDbContext, IAuditedDbContext
{
    public DbSet<IndicatorReplica> Indicators => Set<IndicatorReplica>();
    public DbSet<Submission> Submissions => Set<Submission>();
    public DbSet<LatestValue> LatestValues => Set<LatestValue>();
    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();
    public DbSet<DeadlineReport> DeadlineReports => Set<DeadlineReport>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<IndicatorReplica>(e =>
        {
            e.ToTable("indicator_replicas");
            e.HasKey(i => i.Code);
        });
        modelBuilder.Entity<Submission>(e =>
        {
            e.ToTable("submissions");
            // Every row is updated once, when it is scored (no indexed column changes): with half of each page left
            // free the new version stays on its page (a HOT update) and no index is touched. In the 100,000-value
            // import this took the marking from 18-22 s to under 5 s of PostgreSQL time; the pages fill as the rows are scored.
            e.HasStorageParameter("fillfactor", 50);
            e.HasKey(s => s.Id);
            e.HasIndex(nameof(Submission.IndicatorCode), nameof(Submission.Period), nameof(Submission.Revision)).IsUnique();
            e.HasIndex(s => new { s.Department, s.SubmittedAt });
            e.Property(s => s.TraceId).HasMaxLength(32);
            e.HasIndex(s => s.BatchId);
            e.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(s => s.Note).HasMaxLength(2000);
            e.Property(s => s.Source).HasMaxLength(500);
            e.Property(s => s.FlagReason).HasMaxLength(500);
            e.Property(s => s.Approval).HasConversion<string>().HasMaxLength(16);
            e.Property(s => s.ReviewComment).HasMaxLength(2000);
            // The work lists: what waits for a step, per department.
            e.HasIndex(s => new { s.Approval, s.Department });
        });
        modelBuilder.Entity<LatestValue>(e =>
        {
            e.ToTable("latest_values");
            e.HasKey(v => new { v.IndicatorCode, v.Period });
        });
        modelBuilder.Entity<DeadlineReport>(e =>
        {
            e.ToTable("deadline_reports");
            e.HasKey(r => new
            {
                r.IndicatorCode,
                r.Period,
                r.Department,
                r.Notice,
            });
            e.Property(r => r.Notice).HasMaxLength(32);
        });
        modelBuilder.Entity<IdempotencyRecord>(e =>
        {
            e.ToTable("idempotency_keys");
            e.HasKey(r => new { r.ClientId, r.Key });
            e.Property(r => r.Response).HasColumnType("jsonb");
        });
        modelBuilder.AddMessagingTables();
        modelBuilder.AddAuditTable();
    }
}

/// <summary>The part of the catalogue that submissions validates against, kept current from IndicatorDefined.</summary>
public sealed class IndicatorReplica
{
    public required string Code { get; set; }
    public required string Group { get; set; }
    public required string Unit { get; set; }
    public required string ResponsibleDepartment { get; set; }
    public List<string> CoordinatingDepartments { get; set; } = new();
    public required string ReportingFrequency { get; set; }
    public int DueDays { get; set; } = Cnh.Contracts.IndicatorDefaults.DueDays;
    public double? PlausibleMin { get; set; }
    public double? PlausibleMax { get; set; }
    public int Version { get; set; }
    public bool Retired { get; set; }

    /// <summary>The catalogue it belongs to: which approval steps apply (<c>Submissions:Approval</c>).</summary>
    public string Catalogue { get; set; } = "";
}

public enum SubmissionStatus
{
    Accepted,
    Scored,
    Rejected,
}

/// <summary>
/// Where a revision stands in the approval workflow (DHIS2's data approval): submitted by the department, approved by
/// its approver, accepted by the statistics office (official, and its period locked), or returned with a comment.
/// </summary>
public enum ApprovalState
{
    Submitted,
    Approved,
    Accepted,
    Returned,
}

public sealed class Submission
{
    public Guid Id { get; set; }
    public required string IndicatorCode { get; set; }
    public required string Period { get; set; }
    public int Revision { get; set; }
    public double Value { get; set; }
    public string? Note { get; set; }
    public string? Source { get; set; }
    public required string Department { get; set; }
    public required string SubmittedBy { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>The trace of the request that submitted it (W3C trace id): where ops find its way through the platform.</summary>
    public string? TraceId { get; set; }

    /// <summary>Far from the indicator's history: accepted, because its note explains why.</summary>
    public bool Flagged { get; set; }
    public string? FlagReason { get; set; }
    public Guid? BatchId { get; set; }
    public SubmissionStatus Status { get; set; }
    public DateTimeOffset? ScoredAt { get; set; }
    public string? ScoreStatus { get; set; }
    public double? Score { get; set; }
    public double? ProgressValue { get; set; }

    public ApprovalState Approval { get; set; }

    /// <summary>The last approval step taken on it: by whom, when, and its comment (required to return it).</summary>
    public string? ReviewedBy { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public string? ReviewComment { get; set; }
}

/// <summary>
/// The latest revision of each indicator and period, and its value, written with every submission: the counter that
/// numbers the next revision (its row lock makes writers of one period take turns) and the history the outlier check
/// reads — one row per period, however many revisions it has.
/// </summary>
public sealed class LatestValue
{
    public required string IndicatorCode { get; set; }
    public required string Period { get; set; }
    public int Revision { get; set; }
    public double Value { get; set; }

    /// <summary>Accepted by the statistics office: no new revision until an admin unlocks it.</summary>
    public bool Locked { get; set; }
}

/// <summary>The first answer to a client's Idempotency-Key, and a hash of the body it answered.</summary>
public sealed class IdempotencyRecord
{
    public required string ClientId { get; set; }
    public required string Key { get; set; }
    public required string RequestHash { get; set; }

    /// <summary>The first answer's body (JSON) and Location, given again to a retry.</summary>
    public string? Response { get; set; }
    public string? Location { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A reminder, overdue notice or escalation (<see cref="Deadlines.DeadlineNotices"/>) for a value that had not come:
/// reported once, whatever the number of checks or instances.
/// </summary>
public sealed class DeadlineReport
{
    public required string IndicatorCode { get; set; }
    public required string Period { get; set; }
    public required string Department { get; set; }
    public required string Notice { get; set; }
    public DateOnly DueDate { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
}

public sealed class DesignTimeFactory : DesignTimeFactory<SubmissionsDb>;
