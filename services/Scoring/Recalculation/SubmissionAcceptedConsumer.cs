using Cnh.Contracts;
using Cnh.Scoring.Data;
using Cnh.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Scoring.Recalculation;

/// <summary>
/// Stores the value and marks its indicator for rescoring, exactly once per event: the processed-message row, the
/// observation and the pending mark commit together. The <see cref="RecalculationWorker"/> rescores each marked
/// indicator once for all the values that arrived meanwhile, so a burst costs one recalculation, not one per value.
/// </summary>
public sealed class SubmissionAcceptedConsumer(ScoringDb db, RecalculationQueue queue, ILogger<SubmissionAcceptedConsumer> logger)
    : IConsumer<SubmissionAccepted>
{
    public async Task Consume(ConsumeContext<SubmissionAccepted> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Shared: values of one indicator are stored side by side, but not while it is being rescored.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared(hashtext({"score:" + m.IndicatorCode}))", ct);
            if (!await db.TryBeginProcessingAsync(nameof(SubmissionAcceptedConsumer), m.EventId, ct))
            {
                logger.LogInformation("Submission {SubmissionId} already processed; duplicate delivery ignored", m.SubmissionId);
                return;
            }
            if (!await db.Observations.AnyAsync(o => o.SubmissionId == m.SubmissionId, ct))
            {
                db.Observations.Add(new ObservationRow
                {
                    IndicatorCode = m.IndicatorCode, Period = m.Period, Revision = m.Revision, SubmissionId = m.SubmissionId,
                    Value = m.Value, Department = m.Department, SubmittedAt = m.SubmittedAt, ReceivedAt = DateTimeOffset.UtcNow,
                });
                db.PendingScorings.Add(new PendingScoring
                {
                    IndicatorCode = m.IndicatorCode, SubmissionId = m.SubmissionId, Revision = m.Revision, EnqueuedAt = DateTimeOffset.UtcNow,
                    TraceParent = System.Diagnostics.Activity.Current?.Id,
                });
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        queue.Enqueue(m.IndicatorCode);
    }
}

public sealed class SubmissionAcceptedConsumerDefinition : RetryingConsumerDefinition<SubmissionAcceptedConsumer>;
