using Cnh.Scoring.Data;
using Cnh.Scoring.Recalculation;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cnh.Scoring.OpenData;

/// <summary>Reads the releases, and publishes the day's one.</summary>
public sealed class OpenDataPublisher(ScoringDb db, IOptions<ScoringOptions> scoring, IOptions<OpenDataOptions> options, TimeProvider clock)
{
    /// <summary>The city's date now.</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), options.Value.Zone).DateTime);

    public Task<List<DateOnly>> DatesAsync(CancellationToken ct) =>
        db.OpenDataReleases.AsNoTracking().OrderByDescending(r => r.Date).Select(r => r.Date).ToListAsync(ct);

    public async Task<OpenDataContent?> ReadAsync(DateOnly date, CancellationToken ct) =>
        (await db.OpenDataReleases.AsNoTracking().FirstOrDefaultAsync(r => r.Date == date, ct))?.ToContent();

    /// <summary>The data as it stands, marked against the newest release.</summary>
    public async Task<OpenDataContent> LatestAsync(CancellationToken ct)
    {
        var previous = await db.OpenDataReleases.AsNoTracking().OrderByDescending(r => r.Date).FirstOrDefaultAsync(ct);
        var (rows, indicators) = await OpenDataRows.ReadAsync(db, scoring.Value, ct);
        return new OpenDataContent("latest", clock.GetUtcNow(), previous?.Date, OpenDataRows.MarkChanges(rows, previous?.Rows), indicators);
    }

    /// <summary>
    /// Stores today's release unless there is one: false when it existed. The date is the key, so of several instances
    /// (or a click and the schedule) exactly one stores it.
    /// </summary>
    public async Task<bool> PublishTodayAsync(CancellationToken ct)
    {
        var today = Today;
        if (await db.OpenDataReleases.AnyAsync(r => r.Date == today, ct))
            return false;
        var latest = await LatestAsync(ct);
        db.OpenDataReleases.Add(
            new OpenDataRelease
            {
                Date = today,
                PublishedAt = latest.PublishedAt,
                PreviousDate = latest.PreviousRelease,
                Rows = latest.Rows.ToList(),
                Indicators = latest.Indicators.ToList(),
            }
        );
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return false;
        }
    }
}

/// <summary>Publishes each day's release at <c>OpenData:PublishAt</c> (city time), or at start when that time has passed.</summary>
public sealed class OpenDataSchedule(
    IServiceScopeFactory scopes,
    IOptions<OpenDataOptions> options,
    TimeProvider clock,
    ILogger<OpenDataSchedule> logger
) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckSeconds), clock);
        do
        {
            try
            {
                if (Due(clock.GetUtcNow(), options.Value))
                {
                    await using var scope = scopes.CreateAsyncScope();
                    if (await scope.ServiceProvider.GetRequiredService<OpenDataPublisher>().PublishTodayAsync(stoppingToken))
                        logger.LogInformation("Published the open data release of the day");
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not publish the open data release; trying again at the next check");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Whether the day's publishing time has come (in the city's time zone).</summary>
    public static bool Due(DateTimeOffset now, OpenDataOptions options) =>
        TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, options.Zone).DateTime) >= options.PublishAt;
}
