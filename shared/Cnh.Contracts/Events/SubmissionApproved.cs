namespace Cnh.Contracts;

/// <summary>
/// A department's approver approved a revision: it now waits for the statistics office. Published by <b>submissions</b>.
/// Consumed by <b>notifications</b> (the statistics office is told a value waits for it).
/// </summary>
public sealed record SubmissionApproved(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid SubmissionId,
    int Revision,
    string Department,
    string IndicatorCode,
    string Period,
    double Value,
    string ApprovedBy
) : IIntegrationEvent;
