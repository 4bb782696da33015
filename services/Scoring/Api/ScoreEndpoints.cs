using Cnh.Contracts;
using Cnh.Scoring.Data;
using Cnh.Scoring.Method;
using Cnh.Scoring.Recalculation;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Scoring.Api;

public sealed record DepartmentScore(string Department, double? Score, int Scored, int Total, IReadOnlyDictionary<string, int> CountsByStatus);

public sealed record ScoresView(double? CompositeIndex, IReadOnlyList<GroupScore> Groups, IReadOnlyDictionary<string, int> CountsByStatus,
    string Achieved, int Total, IReadOnlyList<DepartmentScore> Departments);

public sealed record IndicatorScoreView(string Code, string Group, string? Name, string Status, double? Score, ProgressResult? Result,
    DateTimeOffset? CalculatedAt, string? Cause);

public sealed record SnapshotView(DateTimeOffset CalculatedAt, string Cause, string Status, double? Score, ProgressResult Result);

public static class ScoreEndpoints
{
    public static void MapScoreEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scores").WithTags("Scores").RequireAuthorization(AuthorizationPolicies.Reader);
        api.MapGet("/", GetSummary);
        api.MapGet("/indicators", ListIndicators);
        api.MapGet("/indicators/{code}", GetIndicator);
        api.MapGet("/indicators/{code}/history", GetHistory);
    }

    static async Task<IResult> GetSummary(ScoringDb db, CancellationToken ct)
    {
        var rows = await ScoreBoard.LoadAsync(db, ct);
        var summary = ScoreBoard.Summarize(rows);
        var departments = rows.GroupBy(r => r.Department).OrderBy(g => g.Key).Select(g =>
        {
            var scores = g.Where(r => r.Score is not null).Select(r => r.Score!.Value).ToList();
            return new DepartmentScore(g.Key, scores.Count > 0 ? scores.Average() : null, scores.Count, g.Count(),
                g.GroupBy(r => r.Status).ToDictionary(s => s.Key, s => s.Count()));
        }).ToList();
        var achieved = summary.CountsByStatus.GetValueOrDefault(IndicatorStatuses.TargetAchieved);
        return Results.Ok(new ScoresView(summary.CompositeIndex, summary.Groups, summary.CountsByStatus,
            $"{achieved}/{summary.Total}", summary.Total, departments));
    }

    static async Task<IResult> ListIndicators(ScoringDb db, string? group, string? status, CancellationToken ct)
    {
        var query = from d in db.Definitions.AsNoTracking().Where(d => !d.Retired)
                    join s in db.Scores.AsNoTracking() on d.Code equals s.IndicatorCode into scores
                    from s in scores.DefaultIfEmpty()
                    orderby d.Code
                    select new { d, s };
        if (group is not null) query = query.Where(x => x.d.Group == group);
        var rows = await query.ToListAsync(ct);
        var views = rows.Select(x => View(x.d, x.s));
        if (status is not null) views = views.Where(v => v.Status == status);
        return Results.Ok(views.ToList());
    }

    static async Task<IResult> GetIndicator(string code, ScoringDb db, CancellationToken ct)
    {
        var definition = await db.Definitions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == code, ct);
        if (definition is null) return Results.Problem(statusCode: 404, title: "Indicator not found", detail: $"No indicator '{code}'.");
        var score = await db.Scores.AsNoTracking().FirstOrDefaultAsync(s => s.IndicatorCode == code, ct);
        return Results.Ok(View(definition, score));
    }

    static async Task<IResult> GetHistory(string code, ScoringDb db, int? limit, CancellationToken ct)
    {
        if (!await db.Definitions.AnyAsync(d => d.Code == code, ct))
            return Results.Problem(statusCode: 404, title: "Indicator not found", detail: $"No indicator '{code}'.");
        var snapshots = await db.Snapshots.AsNoTracking().Where(s => s.IndicatorCode == code)
            .OrderByDescending(s => s.Id).Take(Math.Clamp(limit ?? 100, 1, 1000))
            .Select(s => new SnapshotView(s.CalculatedAt, s.Cause, s.Status, s.Score, s.Result)).ToListAsync(ct);
        return Results.Ok(snapshots);
    }

    static IndicatorScoreView View(DefinitionReplica d, CurrentScore? s) =>
        new(d.Code, d.Group, d.NameEn, s?.Status ?? IndicatorStatuses.NotAvailable, s?.Score, s?.Result, s?.CalculatedAt, s?.Cause);
}
