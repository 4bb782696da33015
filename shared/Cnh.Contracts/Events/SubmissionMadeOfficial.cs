namespace Cnh.Contracts;

/// <summary>
/// The statistics office accepted a revision: it is the official value of its indicator and period, and the period is
/// locked. (The approval workflow's "accepted" step; <see cref="SubmissionAccepted"/> is older and means a value was
/// received.) Published by <b>submissions</b>. Consumed by <b>scoring</b>, which keeps the official value of each period
/// for <c>?basis=official</c>.
/// </summary>
public sealed record SubmissionMadeOfficial(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid SubmissionId,
    int Revision,
    string Department,
    string IndicatorCode,
    string Period,
    double Value,
    string AcceptedBy
) : IIntegrationEvent;
