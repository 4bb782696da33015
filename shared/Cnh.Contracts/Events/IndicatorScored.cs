namespace Cnh.Contracts;

/// <summary>
/// An indicator's new score with the submissions it includes. Published by <b>scoring</b> after every recalculation.
/// Consumed by <b>submissions</b>, which marks those submissions scored (their status URL then shows the result).
/// </summary>
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
    IReadOnlyList<Guid>? TriggeredBySubmissionIds = null
) : IIntegrationEvent
{
    /// <summary>Every submission this result includes for the first time (one recalculation can take in many).</summary>
    public IReadOnlyList<Guid> AllTriggeringSubmissions =>
        TriggeredBySubmissionIds is { Count: > 0 } ids ? ids
        : TriggeredBySubmissionId is { } id ? [id]
        : [];
}
