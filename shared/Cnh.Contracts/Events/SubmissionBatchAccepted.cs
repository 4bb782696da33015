namespace Cnh.Contracts;

/// <summary>
/// Values of one batch import, stored together: a part of the batch (at most <c>Submissions:Batch:ValuesPerEvent</c>
/// values, 200 by default, so a batch of ten thousand is fifty events), so that an import costs the outbox, the broker
/// and the consumer one message per part instead of one per value. Each value is the <see cref="SubmissionAccepted"/>
/// a single submission would publish, with its own event id. Published by <b>submissions</b>; consumed by
/// <b>scoring</b>, which records each value exactly as it records a <see cref="SubmissionAccepted"/>.
/// </summary>
public sealed record SubmissionBatchAccepted(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid BatchId,
    IReadOnlyList<SubmissionAccepted> Values
) : IIntegrationEvent;
