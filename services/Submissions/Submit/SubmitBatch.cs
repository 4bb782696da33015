using System.Text;
using System.Text.Json;
using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cnh.Submissions.Submit;

public sealed class BatchOptions
{
    public int MaxRows { get; set; } = 10_000;

    /// <summary>
    /// Values per <c>SubmissionBatchAccepted</c>: one message for many values, but each part's message stays below the
    /// runtime's large-object threshold (85 KB) in every process it passes, which 1,000 values per part did not (scoring
    /// then peaked ~90 MB higher in the import).
    /// </summary>
    public int ValuesPerEvent { get; set; } = 200;
}

/// <summary>
/// <c>POST /api/submissions/batch[?dryRun=true]</c>: a JSON array or <c>text/csv</c> of values. Every row is checked
/// as a single submission would be; the valid ones are stored together in one transaction, and the answer is an
/// import summary naming each rejected row with its reasons. A dry run checks and stores nothing.
/// </summary>
public static class SubmitBatch
{
    public sealed record AcceptedRow(int Row, Guid Id, string IndicatorCode, string Period, int Revision, bool Flagged, string? FlagReason);

    public sealed record RejectedRow(int Row, string? IndicatorCode, string? Period, IReadOnlyDictionary<string, string[]> Errors);

    public sealed record Summary(
        Guid? BatchId,
        bool DryRun,
        int Total,
        int Accepted,
        int Rejected,
        int Flagged,
        IReadOnlyList<AcceptedRow> AcceptedRows,
        IReadOnlyList<RejectedRow> RejectedRows
    );

    public static void MapSubmitBatch(this RouteGroupBuilder api) =>
        api.MapPost("/batch", Handle)
            .RequireAuthorization(AuthorizationPolicies.Submitter)
            .Accepts<List<SubmissionRequest>>("application/json", "text/csv")
            .Produces<Summary>(StatusCodes.Status202Accepted)
            .Produces<Summary>(StatusCodes.Status200OK)
            .ProducesValidationProblem(422)
            .ProducesProblem(413);

    static async Task<IResult> Handle(
        HttpRequest http,
        bool? dryRun,
        SubmissionsDb db,
        TimeProvider clock,
        IOptions<OutlierOptions> outliers,
        IOptions<BatchOptions> options,
        IOptions<Approval.ApprovalOptions> approval,
        ILogger<Summary> logger,
        CancellationToken ct
    )
    {
        var (rows, readError) = await ReadRowsAsync(http, options.Value.MaxRows, ct);
        if (readError is not null)
            return readError;
        if (rows.Count == 0)
            return JsonBody.Invalid("$", "The batch has no rows.");
        var user = http.HttpContext.User;
        var client = user.ClientId();
        if (IdempotentRequest.TryRead(http, client, rows.Select(r => r.Request).ToList(), out var idempotent) is { } keyError)
            return keyError;
        if (dryRun != true && await idempotent.ReplayAsync(db, ct) is { } replay)
            return replay;

        // Only well-formed rows reach the database: a code with a NUL in it is the row's error, not the server's.
        var codes = rows.Where(r => r.Request is { } q && SubmissionRules.ValidateShape(q).Count == 0)
            .Select(r => r.Request!.IndicatorCode!)
            .Distinct()
            .ToList();
        var indicators = await db.Indicators.AsNoTracking().Where(i => codes.Contains(i.Code)).ToDictionaryAsync(i => i.Code, ct);
        var (history, locked) = await SubmissionWriter.LoadHistoryAsync(db, indicators.Keys, ct);
        // Rows of one period are judged against the same other periods: summarized once per period, not once per row.
        var summaries = new Dictionary<(string?, string?), HistoryStats>();
        HistoryStats OtherPeriods(string? code, string? period)
        {
            if (!summaries.TryGetValue((code, period), out var stats))
                summaries[(code, period)] = stats = SubmissionWriter.OtherPeriods(history, code, period);
            return stats;
        }
        var batchId = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var accepted = new List<(int Row, Submission Submission)>();
        var rejected = new List<RejectedRow>();
        foreach (var row in rows)
        {
            if (row.Request is not { } request)
            {
                rejected.Add(new(row.Number, null, null, new Dictionary<string, string[]> { ["row"] = [row.Error!] }));
                continue;
            }
            var indicator = request.IndicatorCode is null ? null : indicators.GetValueOrDefault(request.IndicatorCode);
            var verdict = SubmissionRules.Check(
                request,
                indicator,
                user,
                OtherPeriods(request.IndicatorCode, request.Period),
                outliers.Value
            );
            if (verdict.Valid && locked.Contains((indicator!.Code, verdict.Period!.Text)))
                rejected.Add(
                    new(
                        row.Number,
                        request.IndicatorCode,
                        request.Period,
                        new Dictionary<string, string[]>
                        {
                            ["period"] =
                            [
                                "The statistics office accepted this period's value and locked it; an admin must unlock it first.",
                            ],
                        }
                    )
                );
            else if (!verdict.Valid)
                rejected.Add(new(row.Number, request.IndicatorCode, request.Period, verdict.Errors));
            else
                accepted.Add(
                    (
                        row.Number,
                        SubmissionWriter.NewSubmission(
                            request,
                            indicator!,
                            verdict.Period!,
                            verdict.FlagReason,
                            user,
                            now,
                            approval.Value.OnArrival(indicator!.Catalogue).Official,
                            batchId
                        )
                    )
                );
        }

        if (dryRun != true && accepted.Count > 0)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                await SubmissionWriter.StoreAsync(
                    db,
                    user,
                    accepted.Select(a => a.Submission).ToList(),
                    row => approval.Value.OnArrival(indicators[row.IndicatorCode].Catalogue).AwaitsStatistics,
                    options.Value.ValuesPerEvent,
                    ct
                );
            }
            catch (PeriodLockedException lockedMeanwhile)
            {
                // Accepted while the batch was checked: nothing of it is stored, and sent again it reports the rows.
                return Results.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Period locked",
                    detail: $"Locked meanwhile by the statistics office: {string.Join(", ", lockedMeanwhile.Periods)}. "
                        + "Send the batch again: the locked rows are then reported."
                );
            }
            db.Audit(
                user,
                "batch.imported",
                "batch",
                batchId.ToString(),
                new
                {
                    total = rows.Count,
                    accepted = accepted.Count,
                    rejected = rejected.Count,
                }
            );
            var summaryToKeep = Build(batchId, false, rows.Count, accepted, rejected);
            var location = $"/api/submissions?batch={batchId}";
            idempotent.Remember(db, location, summaryToKeep, now);
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException ex) when (idempotent.LostRaceTo(ex))
            {
                db.ChangeTracker.Clear();
                return (await idempotent.ReplayAsync(db, ct))!;
            }
            SubmissionMetrics.Accepted.Add(accepted.Count);
            logger.LogInformation(
                "Batch {BatchId} from {Client}: {Accepted} accepted, {Rejected} rejected",
                batchId,
                client,
                accepted.Count,
                rejected.Count
            );
            return Results.Accepted(location, summaryToKeep);
        }

        var summary = Build(dryRun == true ? null : batchId, dryRun == true, rows.Count, accepted, rejected);
        if (dryRun == true)
            return Results.Ok(summary);
        // Nothing could be stored: the client's mistake, with every row's reasons.
        return Results.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Validation failed",
            detail: "No row of the batch is valid.",
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = rejected
                    .SelectMany(r => r.Errors.Select(e => (Key: $"rows[{r.Row}].{e.Key}", e.Value)))
                    .ToDictionary(e => e.Key, e => e.Value),
                ["summary"] = summary,
            }
        );
    }

    static Summary Build(
        Guid? batchId,
        bool dryRun,
        int total,
        List<(int Row, Submission Submission)> accepted,
        List<RejectedRow> rejected
    ) =>
        new(
            batchId,
            dryRun,
            total,
            accepted.Count,
            rejected.Count,
            accepted.Count(a => a.Submission.Flagged),
            accepted
                .Select(a => new AcceptedRow(
                    a.Row,
                    a.Submission.Id,
                    a.Submission.IndicatorCode,
                    a.Submission.Period,
                    a.Submission.Revision,
                    a.Submission.Flagged,
                    a.Submission.FlagReason
                ))
                .ToList(),
            rejected
        );

    /// <summary>The rows, read no further than <paramref name="maxRows"/>: past it the answer is 413 without reading on.</summary>
    static async Task<(List<CsvRows.Row> Rows, IResult? Error)> ReadRowsAsync(HttpRequest http, int maxRows, CancellationToken ct)
    {
        var tooLarge = Results.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Batch too large",
            detail: $"More than {maxRows} rows; at most {maxRows} per batch. Split it."
        );
        var mediaType = http.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType == "text/csv")
        {
            string text;
            try
            {
                using var reader = new StreamReader(http.Body, new UTF8Encoding(false, throwOnInvalidBytes: true));
                text = await reader.ReadToEndAsync(ct);
            }
            catch (DecoderFallbackException)
            {
                return ([], JsonBody.Invalid("$", "The CSV must be UTF-8.", StatusCodes.Status400BadRequest));
            }
            var (rows, headerError, tooMany) = CsvRows.Parse(text.TrimStart('\uFEFF'), maxRows);
            if (tooMany)
                return ([], tooLarge);
            return headerError is null ? (rows, null) : ([], JsonBody.Invalid("header", headerError, StatusCodes.Status400BadRequest));
        }
        if (!http.HasJsonContentType())
            return (
                [],
                Results.Problem(
                    statusCode: StatusCodes.Status415UnsupportedMediaType,
                    title: "Unsupported media type",
                    detail: "Send a JSON array (application/json) or CSV with a header row (text/csv)."
                )
            );
        // Element by element: a body of a million "{}" stops at the limit instead of becoming a million objects.
        var options = http
            .HttpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()
            .Value.SerializerOptions;
        var list = new List<CsvRows.Row>();
        try
        {
            await foreach (
                var r in JsonSerializer.DeserializeAsyncEnumerable<SubmissionRequest?>(http.Body, topLevelValues: false, options, ct)
            )
            {
                if (list.Count == maxRows)
                    return ([], tooLarge);
                list.Add(new CsvRows.Row(list.Count + 1, r, r is null ? "A row must be an object." : null));
            }
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
            return (
                [],
                JsonBody.Invalid(
                    field,
                    "Malformed JSON or a value of the wrong type; the body must be a JSON array of rows.",
                    StatusCodes.Status400BadRequest,
                    "Malformed request body"
                )
            );
        }
        return (list, null);
    }
}
