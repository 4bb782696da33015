using System.Security.Claims;
using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;
using Cnh.Submissions.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cnh.Submissions.Approval;

/// <summary>
/// The approval workflow's steps on one revision — <c>POST /api/submissions/{id}/approve | unapprove | accept |
/// return</c> — the work lists (<c>GET /api/submissions/approvals</c>) and the locks accepting puts on a period
/// (<c>GET /api/submissions/locks</c>, <c>POST /api/submissions/locks/{indicator}/{period}/unlock</c>, admins only,
/// with a reason). Each step commits its new state, its event and its audit entry together.
/// </summary>
public static class ApprovalEndpoints
{
    public sealed record StepRequest(string? Comment);

    public sealed record UnlockRequest(string? Reason);

    public sealed record LockView(string IndicatorCode, string Period, int Revision, double Value);

    public static void MapApproval(this RouteGroupBuilder api)
    {
        foreach (var action in Enum.GetValues<ApprovalAction>())
            api.MapPost(
                    $"/{{id:guid}}/{action.ToString().ToLowerInvariant()}",
                    (
                        Guid id,
                        HttpRequest http,
                        SubmissionsDb db,
                        IOptions<ApprovalOptions> options,
                        TimeProvider clock,
                        CancellationToken ct
                    ) => StepAsync(action, id, http, db, options.Value, clock, ct)
                )
                .RequireAuthorization(AuthorizationPolicies.Reviewer)
                .Produces<SubmissionView>()
                .ProducesValidationProblem(422)
                .ProducesProblem(403)
                .ProducesProblem(404)
                .ProducesProblem(409);
        api.MapGet("/approvals", WorkListAsync)
            .RequireAuthorization(AuthorizationPolicies.SubmissionReader)
            .Produces<List<SubmissionView>>();
        api.MapGet("/locks", LocksAsync).RequireAuthorization(AuthorizationPolicies.SubmissionReader).Produces<List<LockView>>();
        api.MapPost("/locks/{indicatorCode}/{period}/unlock", UnlockAsync)
            .RequireAuthorization(AuthorizationPolicies.Admin)
            .Produces<LockView>()
            .ProducesValidationProblem(422)
            .ProducesProblem(404)
            .ProducesProblem(409);
    }

    static async Task<IResult> StepAsync(
        ApprovalAction action,
        Guid id,
        HttpRequest http,
        SubmissionsDb db,
        ApprovalOptions options,
        TimeProvider clock,
        CancellationToken ct
    )
    {
        string? comment = null;
        if (http.ContentLength is > 0 || http.HasJsonContentType())
        {
            var body = await JsonBody.ReadAsync<StepRequest>(http, ct);
            if (body.Error is not null)
                return body.Error;
            comment = body.Value!.Comment?.Trim();
            if (comment is { Length: > 2000 } || !TextRules.IsSafe(comment, allowLineBreaks: true))
                return JsonBody.Invalid("comment", "Up to 2000 characters, no control characters but line breaks.");
        }
        var user = http.HttpContext.User;
        var found = await db.Submissions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (found is null)
            return Results.Problem(statusCode: 404, title: "Submission not found", detail: $"No submission {id}.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The period's row first, as a submission locks it: a new revision and a step on the old one take turns.
        var latest = (
            await db
                .LatestValues.FromSql(
                    $"SELECT * FROM latest_values WHERE indicator_code = {found.IndicatorCode} AND period = {found.Period} FOR UPDATE"
                )
                .ToListAsync(ct)
        ).Single();
        var submission = (await db.Submissions.FromSql($"SELECT * FROM submissions WHERE id = {id} FOR UPDATE").ToListAsync(ct)).Single();
        var catalogue = await db.Indicators.Where(i => i.Code == submission.IndicatorCode).Select(i => i.Catalogue).FirstOrDefaultAsync(ct);
        var decision = ApprovalRules.Decide(action, submission, latest.Revision, options.LevelsFor(catalogue), user, comment);
        if (decision.Field is not null)
            return JsonBody.Invalid(decision.Field, decision.Detail!);
        if (decision.Next is not { } next)
            return Results.Problem(statusCode: decision.Status, title: decision.Title, detail: decision.Detail);

        var now = clock.GetUtcNow();
        var by = user.ClientId();
        (submission.Approval, submission.ReviewedBy, submission.ReviewedAt, submission.ReviewComment) = (next, by, now, comment);
        var s = submission;
        // The outbox names each event by its static type: one call per kind.
        if (action == ApprovalAction.Approve)
            db.AddOutboxEvent(ApprovalEvents.Approved(s, by, now));
        else if (action == ApprovalAction.Accept)
        {
            latest.Locked = true;
            db.AddOutboxEvent(ApprovalEvents.MadeOfficial(s, by, now));
        }
        else if (action == ApprovalAction.Return)
            db.AddOutboxEvent(ApprovalEvents.Returned(s, by, now, comment!));
        db.Audit(
            user,
            action switch
            {
                ApprovalAction.Approve => "submission.approved",
                ApprovalAction.Unapprove => "submission.unapproved",
                ApprovalAction.Accept => "submission.made-official",
                _ => "submission.returned",
            },
            "submission",
            s.Id.ToString(),
            new
            {
                s.IndicatorCode,
                s.Period,
                s.Revision,
                Approval = next.ToString(),
                Comment = comment,
            }
        );
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Results.Ok(SubmissionView.From(submission));
    }

    /// <summary>
    /// The latest revisions waiting for a step: <c>step=department</c> (submitted, in two-level catalogues) or
    /// <c>step=statistics</c> (approved, or submitted in one-level catalogues). An approver sees its own department's.
    /// </summary>
    static async Task<IResult> WorkListAsync(
        ClaimsPrincipal user,
        SubmissionsDb db,
        IOptions<ApprovalOptions> options,
        string? step,
        string? department,
        CancellationToken ct
    )
    {
        if (step is not (ApprovalRules.DepartmentStep or ApprovalRules.StatisticsStep))
            return JsonBody.Invalid("step", "department or statistics.");
        if (!user.TryScopeToDepartment(department, out var scope))
            return user.NotYourDepartment();
        var waiting =
            step == ApprovalRules.DepartmentStep ? new[] { ApprovalState.Submitted } : [ApprovalState.Submitted, ApprovalState.Approved];
        var rows = await (
            from s in db.Submissions.AsNoTracking()
            join l in db.LatestValues
                on new
                {
                    s.IndicatorCode,
                    s.Period,
                    s.Revision,
                } equals new
                {
                    l.IndicatorCode,
                    l.Period,
                    l.Revision,
                }
            join i in db.Indicators on s.IndicatorCode equals i.Code
            where waiting.Contains(s.Approval) && (scope == null || s.Department == scope)
            orderby s.SubmittedAt
            select new { s, i.Catalogue }
        )
            .Take(10_000)
            .ToListAsync(ct);
        var levels = options.Value;
        return Results.Ok(
            rows.Where(r => ApprovalRules.AwaitedStep(levels.LevelsFor(r.Catalogue), r.s.Approval) == step)
                .Select(r => SubmissionView.From(r.s))
                .ToList()
        );
    }

    static async Task<IResult> LocksAsync(ClaimsPrincipal user, SubmissionsDb db, string? department, CancellationToken ct)
    {
        if (!user.TryScopeToDepartment(department, out var scope))
            return user.NotYourDepartment();
        var locks = await (
            from l in db.LatestValues.AsNoTracking()
            join i in db.Indicators on l.IndicatorCode equals i.Code
            where l.Locked && (scope == null || i.ResponsibleDepartment == scope)
            orderby l.IndicatorCode, l.Period
            select new LockView(l.IndicatorCode, l.Period, l.Revision, l.Value)
        ).ToListAsync(ct);
        return Results.Ok(locks);
    }

    static async Task<IResult> UnlockAsync(string indicatorCode, string period, HttpRequest http, SubmissionsDb db, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<UnlockRequest>(http, ct);
        if (body.Error is not null)
            return body.Error;
        var reason = body.Value!.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 2000 || !TextRules.IsSafe(reason, allowLineBreaks: true))
            return JsonBody.Invalid("reason", "Say why the accepted value may change: up to 2000 characters.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var latest = (
            await db
                .LatestValues.FromSql(
                    $"SELECT * FROM latest_values WHERE indicator_code = {indicatorCode} AND period = {period} FOR UPDATE"
                )
                .ToListAsync(ct)
        ).SingleOrDefault();
        if (latest is null)
            return Results.Problem(statusCode: 404, title: "No such period", detail: $"No value of {indicatorCode} for {period}.");
        if (!latest.Locked)
            return Results.Problem(statusCode: 409, title: "Not locked", detail: $"{indicatorCode} {period} is not locked.");
        latest.Locked = false;
        db.Audit(http.HttpContext.User, "period.unlocked", "period", $"{indicatorCode}/{period}", new { Reason = reason, latest.Revision });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Results.Ok(new LockView(latest.IndicatorCode, latest.Period, latest.Revision, latest.Value));
    }
}
