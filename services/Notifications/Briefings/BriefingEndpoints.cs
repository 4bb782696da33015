using Cnh.Notifications.Data;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cnh.Notifications.Briefings;

public sealed record BriefingView(
    Guid Id,
    string? Period,
    string Subject,
    int Recipients,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, int> Deliveries
);

/// <summary>
/// <c>/api/notifications/briefings</c>, for admins: what was sent, a preview of what would be sent (and the PDF), and
/// "send now" — an extra briefing outside the schedule, which leaves the month's scheduled one as it is.
/// </summary>
public static class BriefingEndpoints
{
    public static void MapBriefingEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notifications/briefings").WithTags("Briefings").RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapGet("/", List).Produces<List<BriefingView>>();
        api.MapGet("/preview", Preview);
        api.MapGet("/preview.pdf", PreviewPdf).Produces(StatusCodes.Status200OK, contentType: "application/pdf").ProducesProblem(503);
        api.MapPost("/", SendNow);
    }

    static async Task<IResult> List(NotificationsDb db, CancellationToken ct)
    {
        var briefings = await db
            .Briefings.AsNoTracking()
            .OrderByDescending(b => b.CreatedAt)
            .Take(100)
            .Select(b => new
            {
                b.Id,
                b.Period,
                b.Subject,
                b.Recipients,
                b.CreatedBy,
                b.CreatedAt,
            })
            .ToListAsync(ct);
        var ids = briefings.Select(b => (Guid?)b.Id).ToList();
        var counts = (
            await db
                .Deliveries.AsNoTracking()
                .Where(d => ids.Contains(d.BriefingId))
                .GroupBy(d => new { d.BriefingId, d.Status })
                .Select(g => new
                {
                    g.Key.BriefingId,
                    g.Key.Status,
                    Count = g.Count(),
                })
                .ToListAsync(ct)
        ).ToLookup(c => c.BriefingId);
        return Results.Ok(
            briefings.Select(b => new BriefingView(
                b.Id,
                b.Period,
                b.Subject,
                b.Recipients,
                b.CreatedBy,
                b.CreatedAt,
                counts[b.Id].ToDictionary(c => c.Status.ToString(), c => c.Count)
            ))
        );
    }

    /// <summary>The next scheduled briefing as it would go now: when, to whom, subject, text, and the attachment's size.</summary>
    static async Task<IResult> Preview(
        BriefingMailer mailer,
        IOptions<BriefingOptions> options,
        TimeProvider clock,
        NotificationsDb db,
        CancellationToken ct
    )
    {
        var now = clock.GetUtcNow();
        var (latest, latestDue) = BriefingSchedule.LatestDue(now, options.Value);
        var latestSent = await db.Briefings.AnyAsync(b => b.Period == latest, ct);
        var (period, dueAt) =
            !latestSent && BriefingSchedule.PeriodToSend(now, options.Value) is not null
                ? (latest, latestDue)
                : BriefingSchedule.NextDue(now, options.Value);
        var recipients = await mailer.RecipientsAsync(ct);
        var (draft, problem) = await DraftAsync(mailer, period, ct);
        if (draft is null)
            return problem!;
        return Results.Ok(
            new
            {
                period,
                dueAt,
                scheduled = options.Value.Enabled,
                recipients = recipients.Select(r => r.Email),
                draft.Subject,
                draft.Body,
                attachment = new
                {
                    draft.FileName,
                    bytes = draft.Pdf.Length,
                    url = "/api/notifications/briefings/preview.pdf",
                },
            }
        );
    }

    static async Task<IResult> PreviewPdf(BriefingMailer mailer, CancellationToken ct)
    {
        var (draft, problem) = await DraftAsync(mailer, null, ct);
        return draft is null ? problem! : Results.File(draft.Pdf, "application/pdf", draft.FileName);
    }

    static async Task<IResult> SendNow(BriefingMailer mailer, HttpContext http, CancellationToken ct)
    {
        if ((await mailer.RecipientsAsync(ct)).Count == 0)
            return Results.Problem(
                statusCode: 409,
                title: "No recipient",
                detail: "No leadership e-mail subscription exists: add one with POST /api/subscriptions {\"leadership\": "
                    + "true, \"channel\": \"email\", …}."
            );
        var (draft, problem) = await DraftAsync(mailer, null, ct);
        if (draft is null)
            return problem!;
        // No period: never in conflict with another briefing.
        var briefing = (await mailer.QueueAsync(draft, http.User.ClientId(), ct, audit: http.User))!;
        return Results.Accepted(
            $"/api/notifications/briefings",
            new
            {
                briefing.Id,
                briefing.Recipients,
                briefing.Subject,
            }
        );
    }

    /// <summary>The draft, or a 503 that says what to do when the portal cannot make its PDF.</summary>
    static async Task<(BriefingDraft? Draft, IResult? Problem)> DraftAsync(BriefingMailer mailer, string? period, CancellationToken ct)
    {
        try
        {
            return (await mailer.DraftAsync(period, ct), null);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            return (null, PortalUnavailable(e));
        }
    }

    static IResult PortalUnavailable(Exception e) =>
        Results.Problem(
            statusCode: 503,
            title: "The briefing cannot be made now",
            detail: $"The portal did not give the PDF ({e.Message}). Check that the portal runs (./cnh status), then try again."
        );
}
