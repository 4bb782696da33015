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
}

/// <summary>
/// Every interval, finds the values that were due and did not come, and publishes <c>SubmissionOverdue</c> for each,
/// once: the report row (keyed by indicator, period and department) and the event commit together, and instances scan
/// one at a time.
/// </summary>
public sealed class OverdueScanner(
    IServiceScopeFactory scopes,
    IOptions<DeadlineOptions> options,
    TimeProvider clock,
    ILogger<OverdueScanner> logger
) : BackgroundService
{
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
                    logger.LogInformation("Reported {Count} overdue values", reported);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The next scan finds the same gaps: nothing is lost by waiting for the database to come back.
                logger.LogWarning(ex, "Overdue scan failed; retrying at the next interval");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> ScanAsync(SubmissionsDb db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.LockAsync("submissions", "overdue-scan", ct);
        var indicators = await db.Indicators.AsNoTracking().Where(i => !i.Retired).ToListAsync(ct);
        var pastDue = PastDue(indicators, options.Value.TrackFromYear, now).ToList();
        // Only the past-due periods are looked up, not every submission and report ever stored.
        var codes = pastDue.Select(c => c.Indicator.Code).Distinct().ToArray();
        var periods = pastDue.Select(c => c.Period.Text).Distinct().ToArray();
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
                .OverdueReports.Where(r => codes.Contains(r.IndicatorCode) && periods.Contains(r.Period))
                .Select(r => new
                {
                    r.IndicatorCode,
                    r.Period,
                    r.Department,
                })
                .ToListAsync(ct)
        ).Select(r => (r.IndicatorCode, r.Period, r.Department)).ToHashSet();
        var count = 0;
        foreach (var (indicator, period) in pastDue)
        {
            if (received.Contains((indicator.Code, period.Text)))
                continue;
            if (alreadyReported.Contains((indicator.Code, period.Text, indicator.ResponsibleDepartment)))
                continue;
            var due = period.DueDate(indicator.DueDays);
            db.OverdueReports.Add(
                new OverdueReport
                {
                    IndicatorCode = indicator.Code,
                    Period = period.Text,
                    Department = indicator.ResponsibleDepartment,
                    DueDate = due,
                    ReportedAt = now,
                }
            );
            db.AddOutboxEvent(
                new SubmissionOverdue(Guid.NewGuid(), now, indicator.ResponsibleDepartment, indicator.Code, period.Text, due)
            );
            count++;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return count;
    }

    /// <summary>Every period from <paramref name="trackFromYear"/> on whose value was due by <paramref name="now"/>.</summary>
    public static IEnumerable<(IndicatorReplica Indicator, ReportingPeriod Period)> PastDue(
        IEnumerable<IndicatorReplica> indicators,
        int trackFromYear,
        DateTimeOffset now
    ) =>
        indicators
            .SelectMany(i => ReportingPeriod.Of(i.ReportingFrequency, trackFromYear, now.Year).Select(p => (Indicator: i, Period: p)))
            .Where(c => now >= c.Period.DeadlineUtc(c.Indicator.DueDays));
}
