using Cnh.Contracts;
using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cnh.Submissions.Deadlines;

/// <summary><c>Submissions:Deadlines</c>.</summary>
public sealed class DeadlineOptions
{
    public int ScanIntervalSeconds { get; set; } = 3600;

    /// <summary>Periods before this year are history, not deadlines: nothing is reported overdue for them.</summary>
    public int TrackFromYear { get; set; } = 2025;

    /// <summary>Reminders to the responsible department, this many days before the due date; unset: 15 and 3. (Nullable,
    /// because the configuration binder appends to an array that has items; the alert rule switches reminders off.)</summary>
    public int[]? ReminderDaysBefore { get; set; }

    public IReadOnlyList<int> Reminders => ReminderDaysBefore ?? [15, 3];

    /// <summary>An escalation to leadership this many days after the due date (0: none).</summary>
    public int EscalationDaysOverdue { get; set; } = 7;

    /// <summary>The city's time zone: a due date ends at midnight there, not in UTC.</summary>
    public string TimeZone { get; set; } = "Asia/Ho_Chi_Minh";

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}

/// <summary>What the deadline watcher reports, once each per indicator, period and department.</summary>
public static class DeadlineNotices
{
    public static string Reminder(int daysBefore) => $"reminder-{daysBefore}";

    public const string Overdue = "overdue";
    public const string Escalation = "escalation";
}

/// <summary>
/// Every interval, finds the values that are due soon, were due and did not come, or are long overdue, and publishes
/// <c>SubmissionDueSoon</c>, <c>SubmissionOverdue</c> or <c>SubmissionEscalated</c> for each, once: the report row
/// (keyed by indicator, period, department and notice) and the event commit together, and instances scan one at a time.
/// Of the reminders, only the nearest one due is sent: a value first tracked three days before its due date gets the
/// three-day reminder, not the fifteen-day one as well.
/// </summary>
public sealed class DeadlineScanner(
    IServiceScopeFactory scopes,
    IOptions<DeadlineOptions> options,
    TimeProvider clock,
    ILogger<DeadlineScanner> logger
) : BackgroundService
{
    readonly TimeZoneInfo _zone = options.Value.Zone;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.ScanIntervalSeconds)), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var reported = await ScanAsync(scope.ServiceProvider.GetRequiredService<SubmissionsDb>(), stoppingToken);
                if (reported > 0)
                    logger.LogInformation("Reported {Count} reminders, overdue values and escalations", reported);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The next scan finds the same gaps: nothing is lost by waiting for the database to come back.
                logger.LogWarning(ex, "Deadline scan failed; retrying at the next interval");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> ScanAsync(SubmissionsDb db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.LockAsync("submissions", "overdue-scan", ct);
        var indicators = await db.Indicators.AsNoTracking().Where(i => !i.Retired).ToListAsync(ct);
        var notices = Due(indicators, options.Value, _zone, now).ToList();
        // Only the periods with a notice due are looked up, not every submission and report ever stored.
        var codes = notices.Select(c => c.Indicator.Code).Distinct().ToArray();
        var periods = notices.Select(c => c.Period.Text).Distinct().ToArray();
        var received = (
            await db
                .Submissions.Where(s => codes.Contains(s.IndicatorCode) && periods.Contains(s.Period))
                .Select(s => new { s.IndicatorCode, s.Period })
                .Distinct()
                .ToListAsync(ct)
        )
            .Select(s => (s.IndicatorCode, s.Period))
            .ToHashSet();
        var alreadyReported = (
            await db
                .DeadlineReports.Where(r => codes.Contains(r.IndicatorCode) && periods.Contains(r.Period))
                .Select(r => new
                {
                    r.IndicatorCode,
                    r.Period,
                    r.Department,
                    r.Notice,
                })
                .ToListAsync(ct)
        ).Select(r => (r.IndicatorCode, r.Period, r.Department, r.Notice)).ToHashSet();
        var count = 0;
        foreach (var (indicator, period, notice, days) in notices)
        {
            var department = indicator.ResponsibleDepartment;
            if (received.Contains((indicator.Code, period.Text)) || !alreadyReported.Add((indicator.Code, period.Text, department, notice)))
                continue;
            var due = period.DueDate(indicator.DueDays);
            db.DeadlineReports.Add(
                new DeadlineReport
                {
                    IndicatorCode = indicator.Code,
                    Period = period.Text,
                    Department = department,
                    Notice = notice,
                    DueDate = due,
                    ReportedAt = now,
                }
            );
            // The outbox names the event by its static type: one call per kind.
            if (notice == DeadlineNotices.Overdue)
                db.AddOutboxEvent(new SubmissionOverdue(Guid.NewGuid(), now, department, indicator.Code, period.Text, due));
            else if (notice == DeadlineNotices.Escalation)
                db.AddOutboxEvent(new SubmissionEscalated(Guid.NewGuid(), now, department, indicator.Code, period.Text, due, days));
            else
                db.AddOutboxEvent(new SubmissionDueSoon(Guid.NewGuid(), now, department, indicator.Code, period.Text, due, days));
            count++;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return count;
    }

    /// <summary>
    /// Every notice due by <paramref name="now"/> for the periods from <c>TrackFromYear</c> on: the nearest reminder
    /// reached before the deadline (with the days it gives), the overdue notice from the deadline, and the escalation
    /// from that many days after it. Whether the value came is for the caller to check.
    /// </summary>
    public static IEnumerable<(IndicatorReplica Indicator, ReportingPeriod Period, string Notice, int Days)> Due(
        IEnumerable<IndicatorReplica> indicators,
        DeadlineOptions options,
        TimeZoneInfo zone,
        DateTimeOffset now
    )
    {
        var reminders = options.Reminders.Where(d => d > 0).Distinct().Order().ToArray();
        var periods = indicators.SelectMany(i =>
            ReportingPeriod.Of(i.ReportingFrequency, options.TrackFromYear, now.Year).Select(p => (Indicator: i, Period: p))
        );
        foreach (var (indicator, period) in periods)
        {
            var deadline = period.Deadline(indicator.DueDays, zone);
            if (now >= deadline)
            {
                yield return (indicator, period, DeadlineNotices.Overdue, 0);
                var escalation = options.EscalationDaysOverdue;
                if (escalation > 0 && now >= deadline.AddDays(escalation))
                    yield return (indicator, period, DeadlineNotices.Escalation, escalation);
                continue;
            }
            // "N days before the due date" starts at midnight, in the city, N days before it: N + 1 days before the deadline.
            foreach (var days in reminders)
                if (now >= deadline.AddDays(-(days + 1)))
                {
                    yield return (indicator, period, DeadlineNotices.Reminder(days), days);
                    break;
                }
        }
    }
}
