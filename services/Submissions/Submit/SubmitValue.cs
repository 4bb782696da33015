using Cnh.Contracts;
using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cnh.Submissions.Submit;

/// <summary>
/// <c>POST /api/submissions</c>: validate against the local catalogue replica, store, answer 202. With an
/// <c>Idempotency-Key</c>, a retry of the same request returns the first answer instead of a second submission, and
/// the same key with another body is a 409.
/// </summary>
public static class SubmitValue
{
    /// <param name="TraceId">The request's trace: in the dashboard, every hop this value takes through the platform. Null
    /// when the trace was not sampled (beyond <c>Telemetry:TracesPerSecond</c> new traces per second).</param>
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
        IOptions<Approval.ApprovalOptions> approval,
        OutboxSignal outboxSignal,
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

        var period = ReportingPeriod.Parse(request.Period!).Text;
        var (indicator, history) = await SubmissionWriter.LoadIndicatorAsync(db, request.IndicatorCode!, period, ct);
        if (outliers.Value.Method == "none")
            history = HistoryStats.None;
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

        var arrival = approval.Value.OnArrival(indicator!.Catalogue);
        var submission = SubmissionWriter.NewSubmission(
            request,
            indicator,
            verdict.Period!,
            verdict.FlagReason,
            user,
            clock.GetUtcNow(),
            arrival.Official
        );
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
        try
        {
            // The revision is numbered by the statement that stores the value; the kept answer gets it there too.
            var revision = await SubmissionWriter.StoreOneAsync(
                db,
                user,
                submission,
                idempotent.Record(url, answer, submission.SubmittedAt),
                arrival.AwaitsStatistics,
                ct
            );
            if (revision is null)
                return Locked(submission.IndicatorCode, submission.Period);
            submission.Revision = revision.Value;
            outboxSignal.Notify();
        }
        catch (PostgresException ex) when (idempotent.LostRaceTo(ex))
        {
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

    public static IResult Locked(string indicatorCode, string period) =>
        Results.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Period locked",
            detail: $"The statistics office accepted {indicatorCode} for {period}: it is the official value and the period is locked. "
                + "Ask an admin to unlock it (with a reason) before submitting a correction.",
            extensions: new Dictionary<string, object?> { ["field"] = "period" }
        );
}

public static class SubmissionMetrics
{
    public static readonly System.Diagnostics.Metrics.Counter<long> Accepted = Telemetry.Meter.CreateCounter<long>(
        "cnh.submissions.accepted"
    );
}
