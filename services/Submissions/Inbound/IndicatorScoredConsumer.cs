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
        // Setting the same values again is harmless, so a redelivery needs no inbox row here.
        var submissions = await db
            .Submissions.Where(s => ids.Contains(s.Id) && s.Status != SubmissionStatus.Scored)
            .ToListAsync(context.CancellationToken);
        foreach (var submission in submissions)
        {
            submission.Status = SubmissionStatus.Scored;
            submission.ScoredAt = m.OccurredAt;
            submission.ScoreStatus = m.Status;
            submission.Score = m.Score;
            submission.ProgressValue = m.ProgressValue;
        }
        await db.SaveChangesAsync(context.CancellationToken);
        // Measured on this service's own clock, which also stamped SubmittedAt: no skew between machines.
        var now = clock.GetUtcNow();
        foreach (var submission in submissions)
            SubmitToScored.Record(submission.SubmittedAt, now);
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
