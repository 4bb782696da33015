namespace Cnh.Contracts;

/// <summary>Every event carries a unique id (consumers deduplicate on it) and when it happened.</summary>
public interface IIntegrationEvent
{
    Guid EventId { get; }
    DateTimeOffset OccurredAt { get; }
}

/// <summary>The full definition of one indicator; the catalogue sends it on every create or change and on request.</summary>
public sealed record IndicatorDefined(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string Catalogue,
    string Code,
    string Group,
    string NameVi,
    string NameEn,
    string Unit,
    string Direction,
    BaselineDto? Baseline,
    IReadOnlyList<TargetDto> Targets,
    string ResponsibleDepartment,
    IReadOnlyList<string> CoordinatingDepartments,
    string ReportingFrequency,
    double Weight,
    string Confidence,
    int Version,
    bool Retired,
    int DueDays = IndicatorDefaults.DueDays,
    double? PlausibleMin = null,
    double? PlausibleMax = null) : IIntegrationEvent;

public static class IndicatorDefaults
{
    /// <summary>A value is due this many days after its period ends, unless the catalogue says otherwise.</summary>
    public const int DueDays = 90;
}

public sealed record BaselineDto(int Year, double Value);

/// <summary>Op is one of range, about, &gt;=, &gt;, &lt;=, &lt; as in the seed catalogue.</summary>
public sealed record TargetDto(int Year, double? Min, double? Max, string Op);

/// <summary>Asks the catalogue to republish every definition, so that a new replica can catch up.</summary>
public sealed record CatalogueReplayRequested(Guid EventId, DateTimeOffset OccurredAt, string RequestedBy) : IIntegrationEvent;

public sealed record SubmissionAccepted(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid SubmissionId,
    int Revision,
    string Department,
    string IndicatorCode,
    string Period,
    double Value,
    string SubmittedBy,
    DateTimeOffset SubmittedAt) : IIntegrationEvent;

public sealed record IndicatorScored(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string IndicatorCode,
    string Group,
    string? Period,
    double? Value,
    double? ProgressValue,
    double? Score,
    string Status,
    int? TargetYear,
    double? GroupScore,
    double? CompositeIndex,
    Guid? TriggeredBySubmissionId,
    Guid? BasedOnSubmissionId,
    int? BasedOnRevision,
    IReadOnlyList<Guid>? TriggeredBySubmissionIds = null) : IIntegrationEvent
{
    /// <summary>Every submission this result includes for the first time (one recalculation can take in many).</summary>
    public IReadOnlyList<Guid> AllTriggeringSubmissions =>
        TriggeredBySubmissionIds is { Count: > 0 } ids ? ids : TriggeredBySubmissionId is { } id ? [id] : [];
}

public sealed record IndicatorStatusChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string IndicatorCode,
    string Group,
    string ResponsibleDepartment,
    IReadOnlyList<string> CoordinatingDepartments,
    string? PreviousStatus,
    string NewStatus,
    string Transition,
    double? Score,
    string? Period,
    Guid? TriggeredBySubmissionId) : IIntegrationEvent;

public sealed record MilestoneEvaluated(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string IndicatorCode,
    int Year,
    double TargetValue,
    double ObservedValue,
    bool Met,
    string Group,
    string ResponsibleDepartment,
    IReadOnlyList<string> CoordinatingDepartments) : IIntegrationEvent;

public sealed record SubmissionOverdue(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string Department,
    string IndicatorCode,
    string Period,
    DateOnly DueDate) : IIntegrationEvent;
