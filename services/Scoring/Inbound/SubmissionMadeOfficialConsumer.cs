using Cnh.Contracts;
using Cnh.Scoring.Data;
using Cnh.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Scoring.Inbound;

/// <summary>
/// Keeps the official value of each indicator and period: the latest accepted revision. No inbox: the row only moves
/// to a higher revision, so a redelivered or late event changes nothing. Nothing is rescored — the current score is on
/// the latest values either way; what changes is whether it rests on accepted ones.
/// </summary>
public sealed class SubmissionMadeOfficialConsumer(ScoringDb db) : IConsumer<SubmissionMadeOfficial>
{
    public Task Consume(ConsumeContext<SubmissionMadeOfficial> context)
    {
        var m = context.Message;
        return db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO official_values AS o (indicator_code, period, revision, submission_id, value, accepted_at)
            VALUES ({m.IndicatorCode}, {m.Period}, {m.Revision}, {m.SubmissionId}, {m.Value}, {m.OccurredAt.ToUniversalTime()})
            ON CONFLICT (indicator_code, period) DO UPDATE
            SET revision = excluded.revision, submission_id = excluded.submission_id, value = excluded.value,
                accepted_at = excluded.accepted_at
            WHERE excluded.revision > o.revision
            """,
            context.CancellationToken
        );
    }
}

public sealed class SubmissionMadeOfficialConsumerDefinition : RetryingConsumerDefinition<SubmissionMadeOfficialConsumer>;
