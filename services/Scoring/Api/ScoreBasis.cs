using Cnh.Contracts;
using Cnh.Scoring.Data;
using Cnh.Scoring.Method;
using Cnh.Scoring.Recalculation;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Scoring.Api;

/// <summary>
/// What a score rests on. <c>provisional</c> (the default view) scores the latest revision of every period, accepted or
/// not, and says per indicator whether all of them are accepted (<c>official</c>) or not (<c>provisional</c>).
/// <c>?basis=official</c> scores only the latest accepted revision of each period, computed when asked: the statistics
/// office's figures, which a newer unaccepted revision does not move.
/// </summary>
public static class ScoreBasis
{
    public const string Official = "official";
    public const string Provisional = "provisional";

    /// <summary>Null for the default view, or a 422 naming the parameter.</summary>
    public static IResult? Check(string? basis, out bool official)
    {
        official = basis == Official;
        return basis is null or Official or Provisional ? null : JsonBody.Invalid("basis", "official or provisional.");
    }

    /// <summary>Per indicator of these with values: whether every period's latest revision is the accepted one. Only
    /// their rows are read, so the portal's refresh does not grow with retired indicators' history.</summary>
    public static async Task<Dictionary<string, string>> OfAsync(ScoringDb db, IReadOnlyCollection<string> codes, CancellationToken ct) =>
        await db
            .Database.SqlQuery<AcceptedRow>(
                $"""
                SELECT l.indicator_code, bool_and(coalesce(o.revision = l.revision, false)) AS all_accepted
                FROM latest_observations l
                LEFT JOIN official_values o ON o.indicator_code = l.indicator_code AND o.period = l.period
                WHERE l.indicator_code = ANY({codes.ToArray()})
                GROUP BY l.indicator_code
                """
            )
            .ToDictionaryAsync(r => r.IndicatorCode, r => r.AllAccepted ? Official : Provisional, ct);

    public sealed record AcceptedRow(string IndicatorCode, bool AllAccepted);

    /// <summary>Each of these indicators scored on its official values only (NotAvailable where none is accepted yet).</summary>
    public static async Task<Dictionary<string, ProgressResult>> ScoreOfficialAsync(
        ScoringDb db,
        IReadOnlyCollection<DefinitionReplica> definitions,
        ScoringOptions options,
        CancellationToken ct
    )
    {
        var codes = definitions.Select(d => d.Code).ToList();
        var values = (await db.OfficialValues.AsNoTracking().Where(o => codes.Contains(o.IndicatorCode)).ToListAsync(ct)).ToLookup(o =>
            o.IndicatorCode
        );
        return definitions.ToDictionary(
            d => d.Code,
            d =>
                ProgressCalculator.Calculate(
                    d.ToMethod(),
                    values[d.Code].Select(o => new Observation(ReportingPeriod.Parse(o.Period), o.Value, o.Revision, o.SubmissionId)),
                    options.For(d.Catalogue)
                )
        );
    }

    /// <summary>The score board's rows on official values.</summary>
    public static async Task<List<ScoreBoard.Row>> OfficialBoardAsync(ScoringDb db, ScoringOptions options, CancellationToken ct)
    {
        var definitions = await db.Definitions.AsNoTracking().Where(d => !d.Retired).OrderBy(d => d.Code).ToListAsync(ct);
        var results = await ScoreOfficialAsync(db, definitions, options, ct);
        return definitions
            .Select(d => new ScoreBoard.Row(d.Code, d.Group, d.ResponsibleDepartment, results[d.Code].Status, results[d.Code].Score))
            .ToList();
    }
}
