using Cnh.Contracts;
using Cnh.Scoring.Data;
using Cnh.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Scoring.Recalculation;

/// <summary>
/// Stores the value and rescores its indicator, exactly once per event: the processed-message row, the observation,
/// the score and the outgoing events commit together.
/// </summary>
public sealed class SubmissionAcceptedConsumer(ScoringDb db, IndicatorRecalculator recalculator, ILogger<SubmissionAcceptedConsumer> logger)
    : IConsumer<SubmissionAccepted>
{
    public async Task Consume(ConsumeContext<SubmissionAccepted> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await IndicatorRecalculator.LockIndicatorAsync(db, m.IndicatorCode, ct);
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
        }
        await db.SaveChangesAsync(ct);

        var definition = await db.Definitions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == m.IndicatorCode, ct);
        if (definition is null)
            // Scored when the definition arrives (IndicatorDefinedConsumer recalculates indicators with values).
            logger.LogWarning("No definition yet for {Indicator}; value of submission {SubmissionId} kept for later", m.IndicatorCode, m.SubmissionId);
        else
            await recalculator.RecalculateAsync(definition, $"submission {m.SubmissionId} revision {m.Revision}", m.SubmissionId, ct);

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}

public sealed class SubmissionAcceptedConsumerDefinition : RetryingConsumerDefinition<SubmissionAcceptedConsumer>;
