using System.Globalization;

namespace Cnh.Notifications.Briefings;

/// <summary><c>Notifications:Briefing</c>: when leadership gets the PDF briefing, and where it is read from.</summary>
public sealed class BriefingOptions
{
    /// <summary>Off: no scheduled briefing (preview and send-now still work).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Day of the month; a month that is shorter sends on its last day.</summary>
    public int DayOfMonth { get; set; } = 5;
    public TimeOnly At { get; set; } = new(8, 0);
    public string TimeZone { get; set; } = "Asia/Ho_Chi_Minh";
    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>A briefing missed while the service was down is still sent within this time after it was due; later, it waits for the next
    /// month.</summary>
    public int CatchUpHours { get; set; } = 72;
    public int CheckSeconds { get; set; } = 30;

    /// <summary>The portal's PDF (public; through the gateway).</summary>
    public string ReportUrl { get; set; } = "http://127.0.0.1:5080/reports/briefing.pdf?lang=vi";

    /// <summary>The portal's address for the e-mail's link.</summary>
    public string PortalUrl { get; set; } = "http://127.0.0.1:5080/";
}

/// <summary>Which monthly briefing is due: pure, in the city's time zone.</summary>
public static class BriefingSchedule
{
    /// <summary>The most recent due time at or before <paramref name="now"/>, and the period (month, "2026-09") it is for.</summary>
    public static (string Period, DateTimeOffset DueAt) LatestDue(DateTimeOffset now, BriefingOptions options)
    {
        var zone = options.Zone;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var month = new DateOnly(local.Year, local.Month, 1);
        var due = DueIn(month, options, zone);
        if (due > now)
        {
            month = month.AddMonths(-1);
            due = DueIn(month, options, zone);
        }
        return (month.ToString("yyyy-MM", CultureInfo.InvariantCulture), due);
    }

    /// <summary>The next due time after <paramref name="now"/>.</summary>
    public static (string Period, DateTimeOffset DueAt) NextDue(DateTimeOffset now, BriefingOptions options)
    {
        var zone = options.Zone;
        var (period, _) = LatestDue(now, options);
        var month = DateOnly.ParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture).AddMonths(1);
        return (month.ToString("yyyy-MM", CultureInfo.InvariantCulture), DueIn(month, options, zone));
    }

    /// <summary>The latest period whose briefing should go now, or null when it is past its catch-up time.</summary>
    public static string? PeriodToSend(DateTimeOffset now, BriefingOptions options)
    {
        var (period, due) = LatestDue(now, options);
        return now - due <= TimeSpan.FromHours(options.CatchUpHours) ? period : null;
    }

    static DateTimeOffset DueIn(DateOnly month, BriefingOptions options, TimeZoneInfo zone)
    {
        var day = Math.Clamp(options.DayOfMonth, 1, DateTime.DaysInMonth(month.Year, month.Month));
        var local = new DateTime(month.Year, month.Month, day, options.At.Hour, options.At.Minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>"09/2026", as a Vietnamese reader writes the month.</summary>
    public static string MonthVi(string period) => $"{period[5..]}/{period[..4]}";

    public static string MonthEn(string period) =>
        DateOnly.ParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("MMMM yyyy", CultureInfo.InvariantCulture);
}

public static class BriefingRegistration
{
    public static void AddBriefings(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<BriefingOptions>(builder.Configuration.GetSection("Notifications:Briefing"));
        // Making the PDF takes the portal a second or two; a slow or failing portal is retried, then the next check tries again.
        builder
            .Services.AddHttpClient(BriefingMailer.ReportClient)
            .AddStandardResilienceHandler(o =>
            {
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(20);
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(60);
            });
        builder.Services.AddScoped<BriefingMailer>();
        builder.Services.AddHostedService<BriefingWorker>();
    }
}
