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
        await (from d in db.Definitions.AsNoTracking().Where(d => !d.Retired)
               join s in db.Scores.AsNoTracking() on d.Code equals s.IndicatorCode into scores
               from s in scores.DefaultIfEmpty()
               orderby d.Code
               select new Row(d.Code, d.Group, d.ResponsibleDepartment, s == null ? IndicatorStatuses.NotAvailable : s.Status, s == null ? null : s.Score))
            .ToListAsync(ct);

    public static ScoreSummary Summarize(IEnumerable<Row> rows)
    {
        var list = rows.Select(r => new IndicatorScore(r.Code, r.Group, r.Status, r.Score)).ToList();
        return Aggregates.Summarize(list, list.Select(r => r.Group).Distinct().Order());
    }
}
