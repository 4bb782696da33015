namespace Cnh.Contracts;

/// <summary>
/// A department's value for a period is still missing <paramref name="DaysOverdue"/> days after its due date. Published
/// by <b>submissions</b>' deadline watcher, once per department, indicator and period. Consumed by <b>notifications</b>
/// (an escalation to leadership).
/// </summary>
public sealed record SubmissionEscalated(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string Department,
    string IndicatorCode,
    string Period,
    DateOnly DueDate,
    int DaysOverdue
) : IIntegrationEvent;
