using Cnh.Contracts;
using Cnh.Scoring.Data;
using Cnh.Scoring.Method;
using Cnh.Scoring.Recalculation;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cnh.Scoring.Api;

public sealed record DepartmentScore(
    string Department,
    double? Score,
    int Scored,
    int Total,
    IReadOnlyDictionary<string, int> CountsByStatus
);

/// <summary>The aggregates; <c>PreviousCompositeIndex</c> is the index on values up to <c>PreviousYear</c> (the year before the newest
/// value), in the default view only. <c>Basis</c>: the view asked for.</summary>
public sealed record ScoresView(
    double? CompositeIndex,
    IReadOnlyList<GroupScore> Groups,
    IReadOnlyDictionary<string, int> CountsByStatus,
    string Achieved,
    int Total,
    IReadOnlyList<DepartmentScore> Departments,
    int? PreviousYear,
    double? PreviousCompositeIndex,
    string Basis = ScoreBasis.Provisional
);

/// <summary>One reported value as scoring holds it: the latest revision of its period.</summary>
public sealed record ObservationView(
    string Period,
    double Value,
    int Revision,
    Guid SubmissionId,
    DateTimeOffset SubmittedAt,
    bool Official
);

/// <summary>An indicator's current result, with the thresholds its status was read against; <c>Basis</c>: whether it rests on
/// accepted values only (<c>official</c>) or not (<c>provisional</c>), null without values.</summary>
public sealed record IndicatorScoreView(
    string Code,
    string Group,
    string? Name,
    string Status,
    double? Score,
    ResultView? Result,
    DateTimeOffset? CalculatedAt,
    string? Cause,
    ScoringThresholds Thresholds,
    string? Basis = null
);

public sealed record SnapshotView(DateTimeOffset CalculatedAt, string Cause, string Status, double? Score, ResultView Result);

public static class ScoreEndpoints
{
    public static void MapScoreEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scores").WithTags("Scores").RequireAuthorization(AuthorizationPolicies.Reader);
        api.MapGet("/", GetSummary).Produces<ScoresView>();
        api.MapGet("/indicators", ListIndicators).Produces<List<IndicatorScoreView>>().ProducesValidationProblem(400);
        api.MapGet("/indicators/{code}", GetIndicator).Produces<IndicatorScoreView>().ProducesProblem(404);
        api.MapGet("/indicators/{code}/history", GetHistory).Produces<List<SnapshotView>>().ProducesProblem(404);
        api.MapGet("/indicators/{code}/observations", GetObservations).Produces<List<ObservationView>>().ProducesProblem(404);
    }

    static async Task<IResult> GetSummary(ScoringDb db, IOptions<ScoringOptions> options, string? basis, CancellationToken ct)
    {
        if (ScoreBasis.Check(basis, out var official) is { } invalid)
            return invalid;
        var rows = official ? await ScoreBasis.OfficialBoardAsync(db, options.Value, ct) : await ScoreBoard.LoadAsync(db, ct);
        var summary = ScoreBoard.Summarize(rows);
        var departments = rows.GroupBy(r => r.Department)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var scores = g.Where(r => r.Score is not null).Select(r => r.Score!.Value).ToList();
                return new DepartmentScore(
                    g.Key,
                    scores.Count > 0 ? scores.Average() : null,
                    scores.Count,
                    g.Count(),
                    g.GroupBy(r => r.Status).ToDictionary(s => s.Key, s => s.Count())
                );
            })
            .ToList();
        var achieved = summary.CountsByStatus.GetValueOrDefault(IndicatorStatuses.TargetAchieved);
        var (previousYear, previousIndex) = official ? (null, null) : await ScoreBoard.PreviousPeriodAsync(db, rows, ct);
        return Results.Ok(
            new ScoresView(
                summary.CompositeIndex,
                summary.Groups,
                summary.CountsByStatus,
                $"{achieved}/{summary.Total}",
                summary.Total,
                departments,
                previousYear,
                previousIndex,
                official ? ScoreBasis.Official : ScoreBasis.Provisional
            )
        );
    }

    static async Task<IResult> ListIndicators(
        ScoringDb db,
        IOptions<ScoringOptions> options,
        string? group,
        string? status,
        string? basis,
        CancellationToken ct
    )
    {
        if (ScoreBasis.Check(basis, out var official) is { } invalid)
            return invalid;
        var query =
            from d in db.Definitions.AsNoTracking().Where(d => !d.Retired)
            join s in db.Scores.AsNoTracking() on d.Code equals s.IndicatorCode into scores
            from s in scores.DefaultIfEmpty()
            orderby d.Code
            select new { d, s };
        if (group is not null)
            query = query.Where(x => x.d.Group == group);
        var rows = await query.ToListAsync(ct);
        var views = official
            ? await OfficialViewsAsync(db, rows.Select(x => x.d).ToList(), options.Value, ct)
            : await ProvisionalViewsAsync(db, rows.Select(x => (x.d, (CurrentScore?)x.s)).ToList(), options.Value, ct);
        if (status is not null)
            views = views.Where(v => v.Status == status).ToList();
        return Results.Ok(views);
    }

    static async Task<IResult> GetIndicator(
        string code,
        ScoringDb db,
        IOptions<ScoringOptions> options,
        string? basis,
        CancellationToken ct
    )
    {
        if (ScoreBasis.Check(basis, out var official) is { } invalid)
            return invalid;
        var definition = await db.Definitions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == code, ct);
        if (definition is null)
            return Results.Problem(statusCode: 404, title: "Indicator not found", detail: $"No indicator '{code}'.");
        if (official)
            return Results.Ok((await OfficialViewsAsync(db, [definition], options.Value, ct)).Single());
        var score = await db.Scores.AsNoTracking().FirstOrDefaultAsync(s => s.IndicatorCode == code, ct);
        return Results.Ok((await ProvisionalViewsAsync(db, [(definition, score)], options.Value, ct)).Single());
    }

    static async Task<List<IndicatorScoreView>> ProvisionalViewsAsync(
        ScoringDb db,
        IReadOnlyList<(DefinitionReplica Definition, CurrentScore? Score)> rows,
        ScoringOptions options,
        CancellationToken ct
    )
    {
        var bases = await ScoreBasis.OfAsync(db, rows.Select(r => r.Definition.Code).ToList(), ct);
        return rows.Select(r => View(r.Definition, r.Score, options) with { Basis = bases.GetValueOrDefault(r.Definition.Code) }).ToList();
    }

    /// <summary>Computed when asked, from the official values: not stored, so <c>CalculatedAt</c> is now.</summary>
    static async Task<List<IndicatorScoreView>> OfficialViewsAsync(
        ScoringDb db,
        IReadOnlyList<DefinitionReplica> definitions,
        ScoringOptions options,
        CancellationToken ct
    )
    {
        var results = await ScoreBasis.ScoreOfficialAsync(db, definitions, options, ct);
        var now = DateTimeOffset.UtcNow;
        return definitions
            .Select(d =>
            {
                var r = results[d.Code];
                return new IndicatorScoreView(
                    d.Code,
                    d.Group,
                    d.NameEn,
                    r.Status,
                    r.Score,
                    ResultView.From(r),
                    now,
                    "official values",
                    options.For(d.Catalogue),
                    ScoreBasis.Official
                );
            })
            .ToList();
    }

    static async Task<IResult> GetHistory(string code, ScoringDb db, int? limit, CancellationToken ct)
    {
        if (!await db.Definitions.AnyAsync(d => d.Code == code, ct))
            return Results.Problem(statusCode: 404, title: "Indicator not found", detail: $"No indicator '{code}'.");
        var snapshots = await db
            .Snapshots.AsNoTracking()
            .Where(s => s.IndicatorCode == code)
            .OrderByDescending(s => s.Id)
            .Take(Math.Clamp(limit ?? 100, 1, 1000))
            .ToListAsync(ct);
        return Results.Ok(snapshots.Select(s => new SnapshotView(s.CalculatedAt, s.Cause, s.Status, s.Score, ResultView.From(s.Result))));
    }

    static async Task<IResult> GetObservations(string code, ScoringDb db, CancellationToken ct)
    {
        if (!await db.Definitions.AnyAsync(d => d.Code == code, ct))
            return Results.Problem(statusCode: 404, title: "Indicator not found", detail: $"No indicator '{code}'.");
        var rows = await db.Observations.AsNoTracking().Where(o => o.IndicatorCode == code).ToListAsync(ct);
        var accepted = (await db.OfficialValues.AsNoTracking().Where(o => o.IndicatorCode == code).ToListAsync(ct)).ToDictionary(
            o => o.Period,
            o => o.Revision
        );
        var latest = rows.GroupBy(o => o.Period)
            .Select(g => g.MaxBy(o => o.Revision)!)
            .Select(o => (Period: ReportingPeriod.Parse(o.Period), Row: o))
            .OrderBy(x => x.Period.EndInYears)
            .Select(x => new ObservationView(
                x.Row.Period,
                x.Row.Value,
                x.Row.Revision,
                x.Row.SubmissionId,
                x.Row.SubmittedAt,
                accepted.GetValueOrDefault(x.Row.Period) == x.Row.Revision
            ))
            .ToList();
        return Results.Ok(latest);
    }

    static IndicatorScoreView View(DefinitionReplica d, CurrentScore? s, ScoringOptions options) =>
        new(
            d.Code,
            d.Group,
            d.NameEn,
            s?.Status ?? IndicatorStatuses.NotAvailable,
            s?.Score,
            s?.Result is { } r ? ResultView.From(r) : null,
            s?.CalculatedAt,
            s?.Cause,
            options.For(d.Catalogue)
        );
}
