using System.Security.Claims;
using Cnh.Contracts;
using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Submissions.Submit;

/// <summary>
/// Stores accepted values: numbers their revisions, and adds a <c>SubmissionAccepted</c> and an audit entry for each,
/// in the caller's transaction. Revisions of one indicator and period are numbered one writer at a time: a single
/// submission holds its indicator's lock shared and its period's lock exclusively, a batch holds the locks of its
/// indicators exclusively (fewer locks than periods), always in the same order, so they never deadlock.
/// </summary>
public static class SubmissionWriter
{
    const string IndicatorLock = "submissions.indicator";
    const string PeriodLock = "submissions.period";

    public static async Task StoreAsync(SubmissionsDb db, ClaimsPrincipal user, IReadOnlyList<Submission> rows, CancellationToken ct)
    {
        var codes = rows.Select(r => r.IndicatorCode).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (rows.Count == 1)
        {
            var row = rows[0];
            await db.Database.LockSharedAsync(IndicatorLock, row.IndicatorCode, ct);
            await db.Database.LockAsync(PeriodLock, $"{row.IndicatorCode}/{row.Period}", ct);
        }
        else
            foreach (var code in codes)
                await db.Database.LockAsync(IndicatorLock, code, ct);

        var periods = rows.Select(r => r.Period).Distinct().ToArray();
        var latest = await db
            .Submissions.Where(s => codes.Contains(s.IndicatorCode) && periods.Contains(s.Period))
            .GroupBy(s => new { s.IndicatorCode, s.Period })
            .Select(g => new
            {
                g.Key.IndicatorCode,
                g.Key.Period,
                Revision = g.Max(s => s.Revision),
            })
            .ToDictionaryAsync(x => (x.IndicatorCode, x.Period), x => x.Revision, ct);
        foreach (var row in rows)
        {
            var key = (row.IndicatorCode, row.Period);
            row.Revision = latest[key] = latest.GetValueOrDefault(key) + 1;
            db.Submissions.Add(row);
            db.AddOutboxEvent(
                new SubmissionAccepted(
                    Guid.NewGuid(),
                    row.SubmittedAt,
                    row.Id,
                    row.Revision,
                    row.Department,
                    row.IndicatorCode,
                    row.Period,
                    row.Value,
                    row.SubmittedBy,
                    row.SubmittedAt
                )
            );
            db.Audit(
                user,
                "submission.accepted",
                "submission",
                row.Id.ToString(),
                new
                {
                    row.IndicatorCode,
                    row.Period,
                    row.Revision,
                    row.Value,
                    row.Note,
                    row.Source,
                    row.Flagged,
                    row.BatchId,
                }
            );
        }
    }

    /// <summary>The latest value of every period of these indicators, to judge new values against.</summary>
    /// <remarks>Raw queries answer in the model's snake_case names: the naming convention maps ad-hoc result types too.</remarks>
    public static async Task<Dictionary<string, Dictionary<string, double>>> LoadHistoryAsync(
        SubmissionsDb db,
        IReadOnlyCollection<string> codes,
        CancellationToken ct
    )
    {
        var rows = await db
            .Database.SqlQuery<HistoryRow>(
                $"""
                SELECT DISTINCT ON (indicator_code, period) indicator_code, period, value
                FROM submissions WHERE indicator_code = ANY({codes.ToArray()})
                ORDER BY indicator_code, period, revision DESC
                """
            )
            .ToListAsync(ct);
        return rows.GroupBy(r => r.IndicatorCode).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Period, r => r.Value));
    }

    public static HistoryStats OtherPeriods(Dictionary<string, Dictionary<string, double>> history, string? code, string? period) =>
        code is not null && history.TryGetValue(code, out var byPeriod)
            ? HistoryStats.Of(byPeriod.Where(p => p.Key != period).Select(p => p.Value).ToList())
            : HistoryStats.None;

    /// <summary>The same for one value, computed by the database: one row comes back, however long the history.</summary>
    public static async Task<HistoryStats> HistoryOfOtherPeriodsAsync(SubmissionsDb db, string code, string period, CancellationToken ct) =>
        await db
            .Database.SqlQuery<HistoryStats>(
                $"""
                SELECT count(*)::int AS count, coalesce(avg(value), 0) AS mean, coalesce(stddev_pop(value), 0) AS std_dev,
                       coalesce(min(value), 0) AS min, coalesce(max(value), 0) AS max
                FROM (SELECT DISTINCT ON (period) value FROM submissions
                      WHERE indicator_code = {code} AND period <> {period} ORDER BY period, revision DESC) latest
                """
            )
            .SingleAsync(ct);

    public sealed record HistoryRow(string IndicatorCode, string Period, double Value);

    public static Submission NewSubmission(
        SubmissionRequest request,
        IndicatorReplica indicator,
        ReportingPeriod period,
        string? flagReason,
        ClaimsPrincipal user,
        DateTimeOffset at,
        Guid? batchId = null
    ) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            IndicatorCode = indicator.Code,
            Period = period.Text,
            Value = request.Value!.Value,
            Note = request.Note,
            Source = request.Source,
            Department = indicator.ResponsibleDepartment,
            SubmittedBy = user.ClientId(),
            SubmittedAt = at,
            TraceId = System.Diagnostics.Activity.Current?.TraceId.ToHexString(),
            Flagged = flagReason is not null,
            FlagReason = flagReason,
            BatchId = batchId,
            Status = SubmissionStatus.Accepted,
        };
}
