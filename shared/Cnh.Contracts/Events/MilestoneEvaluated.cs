namespace Cnh.Contracts;

/// <summary>
/// A target year's value was checked against that year's target. Published by <b>scoring</b> when a milestone is first
/// evaluated or its outcome changes. Consumed by <b>notifications</b> (a missed milestone is an alert).
/// </summary>
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
    IReadOnlyList<string> CoordinatingDepartments
) : IIntegrationEvent;
