using Cnh.Contracts;
using Cnh.Scoring.Recalculation;
using Cnh.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Cnh.Scoring.Inbound;

/// <summary>
/// Stores the value and marks its indicator for rescoring, exactly once per event (see <see cref="ObservationWriter"/>).
/// The <see cref="RecalculationWorker"/> rescores each marked indicator once for all the values that arrived meanwhile,
/// so a burst costs one recalculation, not one per value. The message is acknowledged only after the commit. Its inbox
/// row is written by the writer, in the group's transaction (not <see cref="InboxConsumer{TDb, TEvent}"/>, which commits
/// each event alone).
/// </summary>
public sealed class SubmissionAcceptedConsumer(ObservationWriter writer) : IConsumer<SubmissionAccepted>
{
    public Task Consume(ConsumeContext<SubmissionAccepted> context) =>
        writer.StoreAsync(
            context.Message,
            System.Diagnostics.Activity.Current?.Id,
            alone: context.GetRetryAttempt() > 0 || context.GetRedeliveryCount() > 0,
            context.CancellationToken
        );
}

/// <summary>Many messages at once, so that the writer has groups to commit together; retry as every consumer.</summary>
public sealed class SubmissionAcceptedConsumerDefinition(IOptions<ScoringOptions> options)
    : RetryingConsumerDefinition<SubmissionAcceptedConsumer>
{
    protected override int? ConcurrentMessages => options.Value.IntakeConcurrency;
}
