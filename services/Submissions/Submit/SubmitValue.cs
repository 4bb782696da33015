using System.Security.Cryptography;
using System.Text.Json;
using Cnh.Contracts;
using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Submissions.Submit;

/// <summary>
/// <c>POST /api/submissions</c>: validate against the local catalogue replica, store, answer 202. With an
/// <c>Idempotency-Key</c>, a retry of the same request returns the first answer instead of a second submission, and
/// the same key with another body is a 409.
/// </summary>
public static class SubmitValue
{
    public sealed record Request(string? IndicatorCode, string? Period, double? Value, string? Note, string? Source);

    public sealed record Response(Guid Id, int Revision, string Status, string StatusUrl);

    public static void MapSubmitValue(this RouteGroupBuilder api) =>
        api.MapPost("/", Handle).RequireAuthorization(AuthorizationPolicies.Submitter)
            .Produces<Response>(StatusCodes.Status202Accepted).ProducesValidationProblem(422).ProducesProblem(403);

    public const string IdempotencyHeader = "Idempotency-Key";

    static async Task<IResult> Handle(HttpRequest http, SubmissionsDb db, ILogger<Request> logger, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<Request>(http, ct);
        if (body.Error is not null) return body.Error;
        var request = body.Value!;

        var key = http.Headers[IdempotencyHeader].ToString();
        if (http.Headers.ContainsKey(IdempotencyHeader) && (key.Length is 0 or > 200 || !TextRules.IsSafe(key)))
            return JsonBody.Invalid(IdempotencyHeader, "1 to 200 printable characters.", StatusCodes.Status400BadRequest);
        var idempotencyKey = key.Length > 0 ? key : null;

        var errors = ValidateShape(request);
        if (errors.Count > 0) return JsonBody.Invalid(errors);

        var client = http.HttpContext.User.ClientId();
        // The same values count as the same request, however the JSON was formatted (after validation: finite numbers only).
        var requestHash = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request)));
        if (idempotencyKey is not null &&
            await db.IdempotencyKeys.AsNoTracking().FirstOrDefaultAsync(r => r.ClientId == client && r.Key == idempotencyKey, ct) is { } earlier)
            return await ReplayAsync(earlier, requestHash, db, ct);

        var indicator = await db.Indicators.AsNoTracking().FirstOrDefaultAsync(i => i.Code == request.IndicatorCode, ct);
        if (indicator is null || indicator.Retired)
            return JsonBody.Invalid("indicatorCode", $"Unknown indicator '{request.IndicatorCode}'.");
        var period = ReportingPeriod.Parse(request.Period!);
        if (period.Frequency != indicator.ReportingFrequency)
            return JsonBody.Invalid("period", $"{indicator.Code} is reported {indicator.ReportingFrequency}; '{request.Period}' is a {period.Frequency} period.");

        var user = http.HttpContext.User;
        if (!user.IsAdmin() && user.Department() != indicator.ResponsibleDepartment)
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your indicator",
                detail: $"{indicator.Code} is reported by department {indicator.ResponsibleDepartment}.",
                extensions: new Dictionary<string, object?> { ["field"] = "indicatorCode" });

        var submission = new Submission
        {
            Id = Guid.CreateVersion7(),
            IndicatorCode = indicator.Code,
            Period = period.Text,
            Value = request.Value!.Value,
            Note = request.Note,
            Source = request.Source,
            Department = indicator.ResponsibleDepartment,
            SubmittedBy = user.ClientId(),
            SubmittedAt = DateTimeOffset.UtcNow,
            Status = SubmissionStatus.Accepted,
        };

        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            await strategy.ExecuteAsync(async () =>
            {
                db.ChangeTracker.Clear();
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                // Revisions of one indicator and period are numbered one at a time.
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({submission.IndicatorCode + "/" + submission.Period}))", ct);
                submission.Revision = 1 + (await db.Submissions
                    .Where(s => s.IndicatorCode == submission.IndicatorCode && s.Period == submission.Period)
                    .MaxAsync(s => (int?)s.Revision, ct) ?? 0);
                db.Submissions.Add(submission);
                if (idempotencyKey is not null)
                    db.IdempotencyKeys.Add(new IdempotencyRecord
                    {
                        ClientId = client, Key = idempotencyKey, RequestHash = requestHash, SubmissionId = submission.Id, CreatedAt = submission.SubmittedAt,
                    });
                db.AddOutboxEvent(new SubmissionAccepted(Guid.NewGuid(), DateTimeOffset.UtcNow, submission.Id, submission.Revision,
                    submission.Department, submission.IndicatorCode, submission.Period, submission.Value, submission.SubmittedBy, submission.SubmittedAt));
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            });
        }
        catch (DbUpdateException ex) when (idempotencyKey is not null && ex.InnerException is Npgsql.PostgresException { SqlState: "23505", ConstraintName: "pk_idempotency_keys" })
        {
            // The same key arrived twice at once and the other request stored first: answer as it did.
            db.ChangeTracker.Clear();
            var first = await db.IdempotencyKeys.AsNoTracking().FirstAsync(r => r.ClientId == client && r.Key == idempotencyKey, ct);
            return await ReplayAsync(first, requestHash, db, ct);
        }
        SubmissionMetrics.Accepted.Add(1);
        logger.LogInformation("Accepted submission {SubmissionId}: {Indicator} {Period} = {Value} (revision {Revision}) from {Client}",
            submission.Id, submission.IndicatorCode, submission.Period, submission.Value, submission.Revision, submission.SubmittedBy);

        var url = $"/api/submissions/{submission.Id}";
        return Results.Accepted(url, new Response(submission.Id, submission.Revision, submission.Status.ToString(), url));
    }

    static async Task<IResult> ReplayAsync(IdempotencyRecord earlier, string requestHash, SubmissionsDb db, CancellationToken ct)
    {
        if (earlier.RequestHash != requestHash)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Idempotency-Key reused",
                detail: "This key was already used with a different request; use a new key for a new submission.",
                extensions: new Dictionary<string, object?> { ["field"] = IdempotencyHeader });
        var submission = await db.Submissions.AsNoTracking().FirstAsync(s => s.Id == earlier.SubmissionId, ct);
        var url = $"/api/submissions/{submission.Id}";
        return Results.Accepted(url, new Response(submission.Id, submission.Revision, nameof(SubmissionStatus.Accepted), url));
    }

    static Dictionary<string, string[]> ValidateShape(Request r)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(r.IndicatorCode)) errors["indicatorCode"] = ["Required."];
        else if (r.IndicatorCode.Length > 32) errors["indicatorCode"] = ["At most 32 characters."];
        else if (!TextRules.IsSafe(r.IndicatorCode)) errors["indicatorCode"] = ["Control characters are not allowed."];
        if (string.IsNullOrWhiteSpace(r.Period)) errors["period"] = ["Required."];
        else if (!ReportingPeriod.TryParse(r.Period, out _)) errors["period"] = ["Use 2025 (year), 2025Q3 (quarter) or 202507 (month)."];
        if (r.Value is null) errors["value"] = ["Required."];
        else if (!double.IsFinite(r.Value.Value)) errors["value"] = ["Must be a finite number."];
        if (r.Note is { Length: > 2000 }) errors["note"] = ["At most 2000 characters."];
        else if (!TextRules.IsSafe(r.Note, allowLineBreaks: true)) errors["note"] = ["Control characters are not allowed."];
        if (r.Source is { Length: > 500 }) errors["source"] = ["At most 500 characters."];
        else if (!TextRules.IsSafe(r.Source)) errors["source"] = ["Control characters are not allowed."];
        return errors;
    }
}

public static class SubmissionMetrics
{
    public static readonly System.Diagnostics.Metrics.Counter<long> Accepted =
        Telemetry.Meter.CreateCounter<long>("cnh.submissions.accepted");
}
