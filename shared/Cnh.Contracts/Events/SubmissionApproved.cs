namespace Cnh.Contracts;

/// <summary>
/// A revision now waits for the statistics office: its department's approver approved it, or — in a catalogue with
/// one approval level — it was submitted (<paramref name="ApprovedBy"/> is then the submitter). Published by
/// <b>submissions</b>.
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
