using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cnh.ServiceDefaults;

/// <summary>
/// Deletes what a <see cref="RetentionRule"/> no longer keeps, at start and every <c>Retention:IntervalMinutes</c>, so
/// that the outbox and the inbox of a platform that runs for years do not grow with every event it ever handled.
/// </summary>
public sealed class RetentionWorker<TDb>(
    IServiceScopeFactory scopes,
    IEnumerable<RetentionRule> rules,
    RetentionOptions options,
    TimeProvider serviceClock,
    TimeProvider systemClock,
    ILogger<RetentionWorker<TDb>> logger
) : BackgroundService
    where TDb : DbContext
{
    /// <summary>One pass over every rule; the rows deleted per table.</summary>
    public async Task<IReadOnlyDictionary<string, int>> PruneAsync(CancellationToken ct)
    {
        var deleted = new Dictionary<string, int>();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        foreach (var rule in rules)
        {
            var cutoff = (rule.ServiceClock ? serviceClock : systemClock).GetUtcNow() - rule.Keep;
            var total = 0;
            int count;
            do
            {
                count = await db.Database.ExecuteSqlRawAsync(rule.DeleteStatement, [cutoff, options.RowsPerStatement], ct);
                total += count;
            } while (count >= options.RowsPerStatement);
            deleted[rule.Table] = total;
            if (total > 0)
                logger.LogInformation("Retention: deleted {Rows} rows of {Table} older than {Cutoff:o}", total, rule.Table, cutoff);
        }
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, options.IntervalMinutes)));
        do
        {
            try
            {
                await PruneAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Retention pass failed; trying again in {Minutes} minutes", options.IntervalMinutes);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
