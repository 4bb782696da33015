using Cnh.Contracts;
using Cnh.Scoring.Data;
using Cnh.Scoring.Method;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Scoring.Recalculation;

/// <summary>The current score of every indicator in the catalogue (NotAvailable where none yet), for the aggregates.</summary>
public static class ScoreBoard
{
    public sealed record Row(string Code, string Group, string Department, string Status, double? Score);

    public static async Task<List<Row>> LoadAsync(ScoringDb db, CancellationToken ct) =>
        await (
            from d in db.Definitions.AsNoTracking().Where(d => !d.Retired)
            join s in db.Scores.AsNoTracking() on d.Code equals s.IndicatorCode into scores
            from s in scores.DefaultIfEmpty()
            orderby d.Code
            select new Row(
                d.Code,
                d.Group,
                d.ResponsibleDepartment,
                s == null ? IndicatorStatuses.NotAvailable : s.Status,
                s == null ? null : s.Score
            )
        ).ToListAsync(ct);

    public static ScoreSummary Summarize(IEnumerable<Row> rows)
    {
        var list = rows.Select(r => new IndicatorScore(r.Code, r.Group, r.Status, r.Score)).ToList();
        return Aggregates.Summarize(list, list.Select(r => r.Group).Distinct().Order());
    }

    /// <summary>
    /// The composite index as it stood before the newest year's values: each indicator's latest result computed on values
    /// of earlier years only (from the snapshots). Null when no value of an earlier year was ever scored.
    /// </summary>
    public static async Task<(int? Year, double? CompositeIndex)> PreviousPeriodAsync(
        ScoringDb db,
        IReadOnlyList<Row> current,
        CancellationToken ct
    )
    {
        // Only the board's indicators: retired ones, and their snapshots, are not walked again on every read.
        var codes = current.Select(r => r.Code).ToArray();
        var results = await db.Scores.AsNoTracking().Where(s => codes.Contains(s.IndicatorCode)).Select(s => s.Result).ToListAsync(ct);
        var years = results
            .Select(r => r.CurrentPeriod is { Length: >= 4 } p ? int.Parse(p[..4]) : (int?)null)
            .Where(y => y is not null)
            .ToList();
        if (years.Count == 0)
            return (null, null);
        var latestYear = years.Max()!.Value;
        // Walks each indicator's snapshots from the newest (its index on calculated_at) to the first on an earlier year's value.
        var earlier = await db
            .Database.SqlQuery<EarlierScore>(
                $"""
                SELECT d.code AS indicator_code, s.status, s.score FROM unnest({codes}::text[]) AS d(code)
                CROSS JOIN LATERAL (SELECT status, score FROM score_snapshots WHERE indicator_code = d.code
                                    AND left(result->>'currentPeriod', 4)::int < {latestYear} ORDER BY calculated_at DESC LIMIT 1) s
                """
            )
            .ToDictionaryAsync(e => e.IndicatorCode, ct);
        var rows = current.Select(r =>
            earlier.TryGetValue(r.Code, out var e)
                ? r with
                {
                    Status = e.Status,
                    Score = e.Score,
                }
                : r with
                {
                    Status = IndicatorStatuses.NotAvailable,
                    Score = null,
                }
        );
        return (latestYear - 1, earlier.Count == 0 ? null : Summarize(rows).CompositeIndex);
    }

    public sealed record EarlierScore(string IndicatorCode, string Status, double? Score);
}
