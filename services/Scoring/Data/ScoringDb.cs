using Cnh.Scoring.Method;
using Cnh.Scoring.OpenData;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Scoring.Data;

public sealed class ScoringDb(DbContextOptions<ScoringDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<DefinitionReplica> Definitions => Set<DefinitionReplica>();
    public DbSet<ObservationRow> Observations => Set<ObservationRow>();
    public DbSet<LatestObservation> LatestObservations => Set<LatestObservation>();
    public DbSet<OfficialValue> OfficialValues => Set<OfficialValue>();
    public DbSet<CurrentScore> Scores => Set<CurrentScore>();
    public DbSet<ScoreSnapshot> Snapshots => Set<ScoreSnapshot>();
    public DbSet<PendingScoring> PendingScorings => Set<PendingScoring>();
    public DbSet<OpenDataRelease> OpenDataReleases => Set<OpenDataRelease>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DefinitionReplica>(e =>
        {
            e.ToTable("indicator_definitions");
            e.HasKey(d => d.Code);
            e.Property(d => d.Targets).HasJsonbConversion();
            // Every rescoring reads the board of live indicators; retired ones pile up over the years and would be scanned too.
            e.HasIndex(d => d.Code).HasFilter("NOT retired").HasDatabaseName("ix_indicator_definitions_live");
        });
        modelBuilder.Entity<ObservationRow>(e =>
        {
            e.ToTable("observations");
            e.HasKey(o => new
            {
                o.IndicatorCode,
                o.Period,
                o.Revision,
            });
            e.HasIndex(o => o.SubmissionId).IsUnique();
        });
        modelBuilder.Entity<LatestObservation>(e =>
        {
            e.ToTable("latest_observations");
            e.HasKey(o => new { o.IndicatorCode, o.Period });
        });
        modelBuilder.Entity<OfficialValue>(e =>
        {
            e.ToTable("official_values");
            e.HasKey(o => new { o.IndicatorCode, o.Period });
        });
        modelBuilder.Entity<CurrentScore>(e =>
        {
            e.ToTable("indicator_scores");
            e.HasKey(s => s.IndicatorCode);
            e.Property(s => s.Result).HasJsonbConversion();
        });
        modelBuilder.Entity<ScoreSnapshot>(e =>
        {
            e.ToTable("score_snapshots");
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).UseIdentityAlwaysColumn();
            e.HasIndex(s => new { s.IndicatorCode, s.CalculatedAt });
            e.Property(s => s.Result).HasJsonbConversion();
        });
        modelBuilder.Entity<PendingScoring>(e =>
        {
            e.ToTable("pending_scorings");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).UseIdentityAlwaysColumn();
            e.HasIndex(p => p.IndicatorCode);
        });
        modelBuilder.Entity<OpenDataRelease>(e =>
        {
            e.ToTable("open_data_releases");
            e.HasKey(r => r.Date);
            e.Property(r => r.Date).ValueGeneratedNever();
            e.Property(r => r.Rows).HasJsonbConversion();
            e.Property(r => r.Indicators).HasJsonbConversion();
        });
        modelBuilder.AddMessagingTables();
    }
}

public sealed class DefinitionReplica
{
    public required string Code { get; set; }
    public required string Catalogue { get; set; }
    public required string Group { get; set; }
    public required string NameEn { get; set; }

    /// <summary>Null until the catalogue's next replay fills it in (replicas made before the open data).</summary>
    public string? NameVi { get; set; }
    public string? Unit { get; set; }
    public required string Direction { get; set; }
    public int? BaselineYear { get; set; }
    public double? BaselineValue { get; set; }
    public List<Target> Targets { get; set; } = new();
    public required string ResponsibleDepartment { get; set; }
    public List<string> CoordinatingDepartments { get; set; } = new();
    public int Version { get; set; }
    public bool Retired { get; set; }

    public IndicatorDefinition ToMethod() =>
        new(
            Code,
            Direction == "decrease" ? Method.Direction.Decrease : Method.Direction.Increase,
            BaselineYear is { } y && BaselineValue is { } v ? new Baseline(y, v) : null,
            Targets
        );
}

/// <summary>A stored value whose indicator has not been rescored since; the recalculation worker takes these.</summary>
public sealed class PendingScoring
{
    public long Id { get; set; }
    public required string IndicatorCode { get; set; }
    public Guid SubmissionId { get; set; }
    public int Revision { get; set; }
    public DateTimeOffset EnqueuedAt { get; set; }

    /// <summary>The submission's trace, which the recalculation continues.</summary>
    public string? TraceParent { get; set; }
}

public sealed class ObservationRow
{
    public required string IndicatorCode { get; set; }
    public required string Period { get; set; }
    public int Revision { get; set; }
    public Guid SubmissionId { get; set; }
    public double Value { get; set; }
    public required string Department { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>
/// The latest revision of each indicator and period, kept with every value stored: what a recalculation reads — one row
/// per period, however many revisions the period has.
/// </summary>
public sealed class LatestObservation
{
    public required string IndicatorCode { get; set; }
    public required string Period { get; set; }
    public int Revision { get; set; }
    public Guid SubmissionId { get; set; }
    public double Value { get; set; }
}

/// <summary>
/// The latest revision of each indicator and period the statistics office accepted (or that came official, in a
/// catalogue without approval): what <c>?basis=official</c> scores.
/// </summary>
public sealed class OfficialValue
{
    public required string IndicatorCode { get; set; }
    public required string Period { get; set; }
    public int Revision { get; set; }
    public Guid SubmissionId { get; set; }
    public double Value { get; set; }
    public DateTimeOffset AcceptedAt { get; set; }
}

/// <summary>The latest result per indicator.</summary>
public sealed class CurrentScore
{
    public required string IndicatorCode { get; set; }
    public required string Group { get; set; }
    public required string Status { get; set; }
    public double? Score { get; set; }
    public required ProgressResult Result { get; set; }
    public DateTimeOffset CalculatedAt { get; set; }
    public required string Cause { get; set; }
}

/// <summary>Every recalculation, when and why: the history leadership can audit.</summary>
public sealed class ScoreSnapshot
{
    public long Id { get; set; }
    public required string IndicatorCode { get; set; }
    public required string Status { get; set; }
    public double? Score { get; set; }
    public required ProgressResult Result { get; set; }
    public DateTimeOffset CalculatedAt { get; set; }
    public required string Cause { get; set; }
}

public sealed class DesignTimeFactory : DesignTimeFactory<ScoringDb>;
