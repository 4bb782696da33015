namespace Cnh.Contracts;

/// <summary>
/// A value a department reported, stored as a new revision. Published by <b>submissions</b> for each accepted value
/// (single or batch). Consumed by <b>scoring</b>, which records the observation and rescores the indicator.
/// <paramref name="Official"/>: the value is official as it comes, because its catalogue has no approval steps.
/// </summary>
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
    DateTimeOffset SubmittedAt,
    bool Official = false
) : IIntegrationEvent;
