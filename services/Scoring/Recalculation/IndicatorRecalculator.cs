using System.Diagnostics.Metrics;
using Cnh.Contracts;
using Cnh.Scoring.Data;
using Cnh.Scoring.Method;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cnh.Scoring.Recalculation;

/// <summary>
/// Recomputes one indicator from its own series and adds the result, a snapshot and IndicatorScored (and
/// IndicatorStatusChanged, MilestoneEvaluated when they apply) to the unit of work. The caller holds the indicator's lock,
/// owns the transaction and saves.
/// </summary>
public sealed class IndicatorRecalculator(ScoringDb db, IOptions<ScoringOptions> options, ILogger<IndicatorRecalculator> logger)
{
    static readonly Counter<long> Recalculations = Telemetry.Meter.CreateCounter<long>("cnh.scoring.recalculations");

    const string IndicatorLock = "scoring.indicator";

    /// <summary>
    /// Exclusive: one recalculation or definition change of an indicator at a time. Values are stored meanwhile: one
    /// the recalculation does not see keeps its pending mark and is taken in by the next.
    /// </summary>
    public static Task LockIndicatorAsync(ScoringDb db, string code, CancellationToken ct) =>
        db.Database.LockAsync(IndicatorLock, code, ct);

    /// <summary>The same, waiting at most <paramref name="seconds"/>: a session stuck on the indicator fails this
    /// transaction after the timeout instead of holding it up.</summary>
    public static Task LockIndicatorAsync(ScoringDb db, string code, int seconds, CancellationToken ct) =>
        db.Database.LockAsync(IndicatorLock, code, seconds, ct);

    public async Task RecalculateAsync(DefinitionReplica definition, string cause, IReadOnlyList<Guid> triggeredBy, CancellationToken ct)
    {
        // Only the latest revision of each period counts: the older ones stay stored but are not read again.
        var rows = await db.LatestObservations.AsNoTracking().Where(o => o.IndicatorCode == definition.Code).ToListAsync(ct);
        var observations = rows.Select(r => new Observation(ReportingPeriod.Parse(r.Period), r.Value, r.Revision, r.SubmissionId));
        var result = ProgressCalculator.Calculate(definition.ToMethod(), observations, options.Value.For(definition.Catalogue));
        var now = DateTimeOffset.UtcNow;

        var current = await db.Scores.FirstOrDefaultAsync(s => s.IndicatorCode == definition.Code, ct);
        var previousStatus = current?.Status;
        var previousMilestones = current?.Result.Milestones ?? [];
        if (current is null)
        {
            current = new CurrentScore
            {
                IndicatorCode = definition.Code,
                Group = definition.Group,
                Status = result.Status,
                Result = result,
                Cause = cause,
            };
            db.Scores.Add(current);
        }
        current.Group = definition.Group;
        current.Status = result.Status;
        current.Score = result.Score;
        current.Result = result;
        current.CalculatedAt = now;
        current.Cause = cause;
        db.Snapshots.Add(
            new ScoreSnapshot
            {
                IndicatorCode = definition.Code,
                Status = result.Status,
                Score = result.Score,
                Result = result,
                CalculatedAt = now,
                Cause = cause,
            }
        );
        Recalculations.Add(1);
        // Every recalculation is kept as a snapshot; the log line is for debugging only.
        logger.LogDebug(
            "Scored {Indicator}: {Status} (score {Score}, p {Progress}) after {Cause}",
            definition.Code,
            result.Status,
            result.Score,
            result.ProgressValue,
            cause
        );

        // The board as stored, with this indicator's new result: the caller saves it with the events, in one round trip.
        var board = await ScoreBoard.LoadAsync(db, ct);
        var summary = ScoreBoard.Summarize(
            board.Select(r => r.Code == definition.Code ? r with { Status = result.Status, Score = result.Score } : r)
        );
        var groupScore = summary.Groups.FirstOrDefault(g => g.Group == definition.Group)?.Score;
        db.AddOutboxEvent(
            new IndicatorScored(
                Guid.NewGuid(),
                now,
                definition.Code,
                definition.Group,
                result.CurrentPeriod,
                result.CurrentValue,
                result.ProgressValue,
                result.Score,
                result.Status,
                result.TargetYear,
                groupScore,
                summary.CompositeIndex,
                triggeredBy.Count > 0 ? triggeredBy[^1] : null,
                result.BasedOnSubmissionId,
                result.BasedOnRevision,
                triggeredBy.Count > 1 ? triggeredBy : null
            )
        );

        if ((previousStatus ?? IndicatorStatuses.NotAvailable) != result.Status)
        {
            db.AddOutboxEvent(
                new IndicatorStatusChanged(
                    Guid.NewGuid(),
                    now,
                    definition.Code,
                    definition.Group,
                    definition.ResponsibleDepartment,
                    definition.CoordinatingDepartments,
                    previousStatus,
                    result.Status,
                    StatusTransition.Classify(previousStatus, result.Status),
                    result.Score,
                    result.CurrentPeriod,
                    triggeredBy.Count > 0 ? triggeredBy[^1] : null
                )
            );
        }

        foreach (var milestone in result.Milestones.Where(m => m.Met is not null))
        {
            var before = previousMilestones.FirstOrDefault(m => m.Year == milestone.Year);
            if (before is not null && before.Met == milestone.Met && before.ObservedValue == milestone.ObservedValue)
                continue;
            db.AddOutboxEvent(
                new MilestoneEvaluated(
                    Guid.NewGuid(),
                    now,
                    definition.Code,
                    milestone.Year,
                    milestone.TargetValue,
                    milestone.ObservedValue!.Value,
                    milestone.Met!.Value,
                    definition.Group,
                    definition.ResponsibleDepartment,
                    definition.CoordinatingDepartments
                )
            );
        }
    }
}
