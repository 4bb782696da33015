namespace Cnh.Contracts;

/// <summary>
/// A department's value for a period is due in <paramref name="DaysLeft"/> days and has not come. Published by
/// <b>submissions</b>' deadline watcher, once per department, indicator, period and reminder (by default 15 and 3 days
/// before the due date). Consumed by <b>notifications</b> (a reminder to that department).
/// </summary>
public sealed record SubmissionDueSoon(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string Department,
    string IndicatorCode,
    string Period,
    DateOnly DueDate,
    int DaysLeft
) : IIntegrationEvent;
