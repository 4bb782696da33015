using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Submissions.Queries;

public sealed record ScoreView(string? Status, double? Score, double? ProgressValue, DateTimeOffset? ScoredAt);

public sealed record SubmissionView(
    Guid Id,
    string IndicatorCode,
    string Period,
    int Revision,
    double Value,
    string? Note,
    string? Source,
    string Department,
    string SubmittedBy,
    DateTimeOffset SubmittedAt,
    bool Flagged,
    string? FlagReason,
    Guid? BatchId,
    string Status,
    ScoreView? Score,
    string? TraceId,
    string Approval,
    string? ReviewedBy,
    DateTimeOffset? ReviewedAt,
    string? ReviewComment
)
{
    public static SubmissionView From(Submission s) =>
        new(
            s.Id,
            s.IndicatorCode,
            s.Period,
            s.Revision,
            s.Value,
            s.Note,
            s.Source,
            s.Department,
            s.SubmittedBy,
            s.SubmittedAt,
            s.Flagged,
            s.FlagReason,
            s.BatchId,
            s.Status.ToString(),
            s.Status == SubmissionStatus.Scored ? new ScoreView(s.ScoreStatus, s.Score, s.ProgressValue, s.ScoredAt) : null,
            s.TraceId,
            s.Approval.ToString(),
            s.ReviewedBy,
            s.ReviewedAt,
            s.ReviewComment
        );
}

/// <summary>A department (and its approver) reads its own submissions; admins and the statistics office read all.</summary>
public static class SubmissionQueries
{
    public static void MapSubmissionQueries(this RouteGroupBuilder api)
    {
        api.MapGet("/{id:guid}", GetOne)
            .RequireAuthorization(AuthorizationPolicies.SubmissionReader)
            .Produces<SubmissionView>()
            .ProducesProblem(403)
            .ProducesProblem(404);
        api.MapGet("/", List)
            .RequireAuthorization(AuthorizationPolicies.SubmissionReader)
            .Produces<List<SubmissionView>>()
            .ProducesProblem(403)
            .ProducesValidationProblem(400);
    }

    static async Task<IResult> GetOne(Guid id, HttpContext http, SubmissionsDb db, CancellationToken ct)
    {
        var s = await db.Submissions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null)
            return Results.Problem(statusCode: 404, title: "Submission not found", detail: $"No submission {id}.");
        if (!http.User.IsAdmin() && !http.User.IsInRole(Cnh.Contracts.Roles.Statistics) && http.User.Department() != s.Department)
            return Results.Problem(statusCode: 403, title: "Not your submission", detail: "The submission belongs to another department.");
        return Results.Ok(SubmissionView.From(s));
    }

    static async Task<IResult> List(
        HttpContext http,
        SubmissionsDb db,
        string? indicator,
        string? period,
        string? department,
        Guid? batch,
        int? limit,
        CancellationToken ct
    )
    {
        if (!http.User.TryScopeToDepartment(department, out var scope))
            return http.User.NotYourDepartment();
        var query = db.Submissions.AsNoTracking();
        if (scope is not null)
            query = query.Where(s => s.Department == scope);
        if (indicator is not null)
            query = query.Where(s => s.IndicatorCode == indicator);
        if (period is not null)
            query = query.Where(s => s.Period == period);
        if (batch is not null)
            query = query.Where(s => s.BatchId == batch);
        var rows = await query
            .OrderByDescending(s => s.SubmittedAt)
            .ThenByDescending(s => s.Revision)
            .Take(Math.Clamp(limit ?? 100, 1, 10_000))
            .ToListAsync(ct);
        return Results.Ok(rows.Select(SubmissionView.From));
    }
}
