using Cnh.Notifications.Data;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cnh.Notifications.Briefings;

/// <summary>The briefing as it will be mailed: the portal's PDF of the day, a subject and a short text.</summary>
public sealed record BriefingDraft(string? Period, string Subject, string Body, string FileName, byte[] Pdf);

/// <summary>
/// Makes a briefing and its deliveries — one per leadership e-mail subscription — in one transaction; the delivery
/// worker sends them with its retries, leases and attempt records, like alerts.
/// </summary>
public sealed class BriefingMailer(NotificationsDb db, IHttpClientFactory http, IOptions<BriefingOptions> options, TimeProvider clock)
{
    public const string ReportClient = "briefing-report";

    /// <summary>Reads the PDF from the portal; throws when the portal cannot make it (the schedule tries again).</summary>
    public async Task<BriefingDraft> DraftAsync(string? period, CancellationToken ct)
    {
        using var response = await http.CreateClient(ReportClient).GetAsync(options.Value.ReportUrl, ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException(
                $"The portal answered {(int)response.StatusCode} for the briefing PDF ({options.Value.ReportUrl})."
            );
        var pdf = await response.Content.ReadAsByteArrayAsync(ct);
        var month = period
            ?? TimeZoneInfo
                .ConvertTime(clock.GetUtcNow(), options.Value.Zone)
                .ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var vi = BriefingSchedule.MonthVi(month);
        var en = BriefingSchedule.MonthEn(month);
        var subject = $"[CNH] Bản tin chỉ tiêu CNH-HĐH tháng {vi} / CNH-HĐH indicators briefing, {en}";
        var body = $"""
            Kính gửi Lãnh đạo,

            Đính kèm là bản tin tháng {vi} về các chỉ tiêu công nghiệp hóa, hiện đại hóa của Thành phố: chỉ số tổng hợp,
            tình hình từng nhóm và các chỉ tiêu cần tăng tốc. Số liệu cập nhật liên tục tại {options.Value.PortalUrl}

            ---

            Attached is the {en} briefing on the city's industrialization–modernization indicators: the composite
            index, each group, and the indicators that are behind. Current figures: {options.Value.PortalUrl}

            (Thư tự động từ CnhPlatform / sent automatically by CnhPlatform)
            """;
        return new BriefingDraft(period, subject, body, $"ban-tin-cnh-hdh-{month}.pdf", pdf);
    }

    public Task<List<Subscription>> RecipientsAsync(CancellationToken ct) =>
        db
            .Subscriptions.AsNoTracking()
            .Where(s => s.Department == null && s.Channel == Channels.Email)
            .OrderBy(s => s.Email)
            .ToListAsync(ct);

    /// <summary>
    /// Stores the briefing and a delivery per recipient. For a period that already has its briefing (another instance,
    /// or before a restart) nothing is stored and null is answered.
    /// </summary>
    public async Task<Briefing?> QueueAsync(
        BriefingDraft draft,
        string createdBy,
        CancellationToken ct,
        System.Security.Claims.ClaimsPrincipal? audit = null
    )
    {
        var recipients = await RecipientsAsync(ct);
        var now = DateTimeOffset.UtcNow;
        var briefing = new Briefing
        {
            Id = Guid.CreateVersion7(),
            Period = draft.Period,
            Subject = draft.Subject,
            Body = draft.Body,
            FileName = draft.FileName,
            Pdf = draft.Pdf,
            Recipients = recipients.Count,
            CreatedBy = createdBy,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Briefings.Add(briefing);
        foreach (var s in recipients)
            db.Deliveries.Add(
                new Data.Delivery
                {
                    Id = Guid.CreateVersion7(),
                    BriefingId = briefing.Id,
                    SubscriptionId = s.Id,
                    Status = DeliveryStatus.Pending,
                    NextAttemptAt = now,
                    CreatedAt = now,
                }
            );
        if (audit is not null)
            db.Audit(audit, "briefing.sent", "briefing", briefing.Id.ToString(), new { briefing.Recipients, briefing.Subject });
        try
        {
            await db.SaveChangesAsync(ct);
            return briefing;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            return null;
        }
    }
}
