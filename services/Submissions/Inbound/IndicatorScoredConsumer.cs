using Cnh.Contracts;
using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Submissions.Inbound;

/// <summary>Marks the submissions a recalculation took in as scored, with the score it produced.</summary>
public sealed class IndicatorScoredConsumer(SubmissionsDb db, TimeProvider clock) : IConsumer<IndicatorScored>
{
    public async Task Consume(ConsumeContext<IndicatorScored> context)
    {
        var m = context.Message;
        var ids = m.AllTriggeringSubmissions.ToArray();
        if (ids.Length == 0)
            return;
        // Setting the same values again is harmless, so a redelivery needs no inbox row here. One statement, whatever
        // the number of values the recalculation took in.
        var submittedAt = await db
            .Database.SqlQuery<DateTimeOffset>(
                $"""
                UPDATE submissions SET status = {nameof(SubmissionStatus.Scored)}, scored_at = {m.OccurredAt.ToUniversalTime()},
                       score_status = {m.Status}, score = {m.Score}, progress_value = {m.ProgressValue}
                WHERE id = ANY({ids}) AND status <> {nameof(SubmissionStatus.Scored)}
                RETURNING submitted_at AS "Value"
                """
            )
            .ToListAsync(context.CancellationToken);
        // Measured on this service's own clock, which also stamped SubmittedAt: no skew between machines.
        var now = clock.GetUtcNow();
        foreach (var at in submittedAt)
            SubmitToScored.Record(at, now);
    }
}

public sealed class IndicatorScoredConsumerDefinition : RetryingConsumerDefinition<IndicatorScoredConsumer>;

public static class SubmitToScored
{
    static readonly System.Diagnostics.Metrics.Histogram<double> Latency = Telemetry.Meter.CreateHistogram<double>(
        "cnh.submissions.submit_to_scored",
        unit: "ms"
    );

    public static void Record(DateTimeOffset submittedAt, DateTimeOffset scoredAt) =>
        Latency.Record((scoredAt - submittedAt).TotalMilliseconds);
}
