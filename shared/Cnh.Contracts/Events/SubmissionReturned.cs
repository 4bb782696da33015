namespace Cnh.Contracts;

/// <summary>
/// A revision was sent back to the department that submitted it, with the reviewer's comment. Published by
/// <b>submissions</b>. Consumed by <b>notifications</b> (an alert to that department, carrying the comment).
/// </summary>
public sealed record SubmissionReturned(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid SubmissionId,
    int Revision,
    string Department,
    string IndicatorCode,
    string Period,
    double Value,
    string ReturnedBy,
    string Comment
) : IIntegrationEvent;
