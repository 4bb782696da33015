namespace Cnh.Portal.Api;

// What the portal reads from the platform's APIs (JSON, web naming). Only the fields the pages use.

public sealed record CatalogueIndicator(
    string Code,
    string Group,
    string NameVi,
    string NameEn,
    string Unit,
    string Direction,
    CatalogueBaseline? Baseline,
    IReadOnlyList<CatalogueTarget> Targets,
    string ResponsibleDepartment,
    IReadOnlyList<string> CoordinatingDepartments,
    string ReportingFrequency,
    string Confidence,
    string? Source,
    string? NationalAlignment,
    int DueDays,
    int Version,
    bool Retired,
    DateTimeOffset UpdatedAt
);

public sealed record CatalogueBaseline(int? Year, double? Value);

public sealed record CatalogueTarget(int Year, double? Min, double? Max, string Op, string? TargetStatus, string? Source);

public sealed record CatalogueGroup(string Code, string NameVi, string NameEn, int ExpectedCount, int IndicatorCount);

public sealed record CatalogueDepartment(string Code, string NameVi, string NameEn);

public sealed record GroupScore(string Group, double? Score, double Coverage, int Scored, int Total);

public sealed record ScoresSummary(
    double? CompositeIndex,
    IReadOnlyList<GroupScore> Groups,
    IReadOnlyDictionary<string, int> CountsByStatus,
    int Total,
    int? PreviousYear,
    double? PreviousCompositeIndex
);

public sealed record Milestone(int Year, string Op, double TargetValue, double? ObservedValue, bool? Met);

/// <summary>The scoring method's result with every input (docs/scoring.md).</summary>
public sealed record ProgressResult(
    string Status,
    double? Score,
    double? ProgressValue,
    double? AttainmentPercent,
    double? BaseYear,
    double? BaseValue,
    string? CurrentPeriod,
    double? CurrentYear,
    double? CurrentValue,
    int? TargetYear,
    string? TargetOp,
    double? TargetValue,
    double? ObservedGrowth,
    double? RequiredGrowth,
    string? Note,
    IReadOnlyList<Milestone> Milestones,
    Guid? BasedOnSubmissionId,
    int? BasedOnRevision
);

public sealed record IndicatorScore(
    string Code,
    string Group,
    string Status,
    double? Score,
    ProgressResult? Result,
    DateTimeOffset? CalculatedAt,
    string? Cause,
    Thresholds? Thresholds,
    string? Basis = null
);

public sealed record Thresholds(double OnTrack, double NeedsAcceleration, double LimitedProgress, double AboutTolerance);

public sealed record ScoreSnapshot(DateTimeOffset CalculatedAt, string Cause, string Status, double? Score, ProgressResult Result);

public sealed record Observation(string Period, double Value, int Revision, Guid SubmissionId, DateTimeOffset SubmittedAt);

public sealed record CompletenessItem(string IndicatorCode, string Period, DateOnly DueDate, string State, DateTimeOffset? FirstReceivedAt);

public sealed record DepartmentCompleteness(
    string Department,
    int Expected,
    int OnTime,
    int Late,
    int Missing,
    int NotYetDue,
    IReadOnlyList<CompletenessItem> Items
);

public sealed record CompletenessReport(string Period, DateTimeOffset AsOf, IReadOnlyList<DepartmentCompleteness> Departments);

public sealed record Alert(
    Guid Id,
    string Kind,
    string Severity,
    string IndicatorCode,
    string Group,
    string Department,
    IReadOnlyList<string> CoordinatingDepartments,
    string? PreviousStatus,
    string NewStatus,
    double? Score,
    string? Period,
    string Message,
    DateTimeOffset CreatedAt
);

/// <summary>Scoring's <c>/open-data/</c>: the dated releases, newest first.</summary>
public sealed record OpenDataIndex(IReadOnlyList<OpenDataRelease> Releases);

public sealed record OpenDataRelease(DateOnly Date);
