namespace Cnh.Contracts;

/// <summary>
/// A department's value for a period did not come by its due date. Published by <b>submissions</b>' deadline watcher,
/// once per department, indicator and period. Consumed by <b>notifications</b> (an alert to that department).
/// </summary>
public sealed record SubmissionOverdue(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string Department,
    string IndicatorCode,
    string Period,
    DateOnly DueDate
) : IIntegrationEvent;
