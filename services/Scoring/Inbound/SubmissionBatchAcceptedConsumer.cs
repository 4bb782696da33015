using Cnh.Contracts;
using Cnh.Scoring.Recalculation;
using Cnh.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Cnh.Scoring.Inbound;

/// <summary>
/// Stores a batch's part in one transaction, each value exactly as <see cref="SubmissionAcceptedConsumer"/> stores one
/// (its own processed-message row, so a redelivered part stores nothing twice), and marks its indicators for rescoring.
/// The message is acknowledged only after the commit; a part that keeps failing goes to its _error queue whole.
/// </summary>
public sealed class SubmissionBatchAcceptedConsumer(ObservationWriter writer) : IConsumer<SubmissionBatchAccepted>
{
    public Task Consume(ConsumeContext<SubmissionBatchAccepted> context) =>
        writer.StorePartAsync(context.Message.Values, System.Diagnostics.Activity.Current?.Id, context.CancellationToken);
}

/// <summary>A few parts at once: each is already a group of hundreds of values.</summary>
public sealed class SubmissionBatchAcceptedConsumerDefinition(IOptions<ScoringOptions> options)
    : RetryingConsumerDefinition<SubmissionBatchAcceptedConsumer>
{
    protected override int? ConcurrentMessages => options.Value.BatchIntakeConcurrency;
}
