using Cnh.Contracts;
using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cnh.Submissions.Submit;

/// <summary>
/// <c>POST /api/submissions</c>: validate against the local catalogue replica, store, answer 202. With an
/// <c>Idempotency-Key</c>, a retry of the same request returns the first answer instead of a second submission, and
/// the same key with another body is a 409.
/// </summary>
public static class SubmitValue
{
    /// <param name="TraceId">The request's trace: in the dashboard, every hop this value takes through the platform.</param>
    public sealed record Response(
        Guid Id,
        int Revision,
        string Status,
        string StatusUrl,
        bool Flagged = false,
        string? FlagReason = null,
        string? TraceId = null
    );

    public static void MapSubmitValue(this RouteGroupBuilder api) =>
        api.MapPost("/", Handle)
            .RequireAuthorization(AuthorizationPolicies.Submitter)
            .Produces<Response>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem(422)
            .ProducesProblem(403);

    static async Task<IResult> Handle(
        HttpRequest http,
        SubmissionsDb db,
        TimeProvider clock,
        IOptions<OutlierOptions> outliers,
        ILogger<SubmissionRequest> logger,
        CancellationToken ct
    )
    {
        var body = await JsonBody.ReadAsync<SubmissionRequest>(http, ct);
        if (body.Error is not null)
            return body.Error;
        var request = body.Value!;

        var user = http.HttpContext.User;
        if (IdempotentRequest.TryRead(http, user.ClientId(), request, out var idempotent) is { } keyError)
            return keyError;
        var shape = SubmissionRules.ValidateShape(request);
        if (shape.Count > 0)
            return JsonBody.Invalid(shape);
        if (await idempotent.ReplayAsync(db, ct) is { } replay)
            return replay;

        var indicator = await db.Indicators.AsNoTracking().FirstOrDefaultAsync(i => i.Code == request.IndicatorCode, ct);
        var history =
            indicator is null || outliers.Value.Method == "none"
                ? HistoryStats.None
                : await SubmissionWriter.HistoryOfOtherPeriodsAsync(db, indicator.Code, ReportingPeriod.Parse(request.Period!).Text, ct);
        var verdict = SubmissionRules.Check(request, indicator, user, history, outliers.Value);
        if (verdict.Forbidden)
            return Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Not your indicator",
                detail: verdict.Errors["indicatorCode"][0],
                extensions: new Dictionary<string, object?> { ["field"] = "indicatorCode" }
            );
        if (!verdict.Valid)
            return JsonBody.Invalid(verdict.Errors.ToDictionary());

        var submission = SubmissionWriter.NewSubmission(request, indicator!, verdict.Period!, verdict.FlagReason, user, clock.GetUtcNow());
        // Ops can find the trace by the submission's id as well as by its trace id.
        System.Diagnostics.Activity.Current?.SetTag("cnh.submission.id", submission.Id.ToString());
        var url = $"/api/submissions/{submission.Id}";
        var answer = new Response(
            submission.Id,
            submission.Revision,
            submission.Status.ToString(),
            url,
            submission.Flagged,
            submission.FlagReason,
            submission.TraceId
        );
        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            await strategy.ExecuteAsync(async () =>
            {
                db.ChangeTracker.Clear();
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await SubmissionWriter.StoreAsync(db, user, [submission], ct);
                idempotent.Remember(db, url, answer with { Revision = submission.Revision }, submission.SubmittedAt);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            });
        }
        catch (DbUpdateException ex) when (idempotent.LostRaceTo(ex))
        {
            db.ChangeTracker.Clear();
            return (await idempotent.ReplayAsync(db, ct))!;
        }
        SubmissionMetrics.Accepted.Add(1);
        // Every submission is in the audit trail; the log line is for debugging only.
        logger.LogDebug(
            "Accepted submission {SubmissionId}: {Indicator} {Period} = {Value} (revision {Revision}) from {Client}",
            submission.Id,
            submission.IndicatorCode,
            submission.Period,
            submission.Value,
            submission.Revision,
            submission.SubmittedBy
        );

        return Results.Accepted(url, answer with { Revision = submission.Revision });
    }
}

public static class SubmissionMetrics
{
    public static readonly System.Diagnostics.Metrics.Counter<long> Accepted = Telemetry.Meter.CreateCounter<long>(
        "cnh.submissions.accepted"
    );
}
