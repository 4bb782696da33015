namespace Cnh.Contracts;

/// <summary>
/// An indicator moved to another status (fell behind, recovered, improved…). Published by <b>scoring</b> when a
/// recalculation changes the status. Consumed by <b>notifications</b>, which raises alerts by the alert rules.
/// </summary>
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
    Guid? TriggeredBySubmissionId
) : IIntegrationEvent;
