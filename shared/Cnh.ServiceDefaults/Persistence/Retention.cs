using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cnh.ServiceDefaults;

/// <summary>How long the rows that serve only a window of time are kept (section <c>Retention</c>), and how they go.</summary>
public sealed class RetentionOptions
{
    /// <summary>Published events stay in the outbox this long after they were sent, for an operator to look one up.</summary>
    public double SentEventsDays { get; set; } = 7;

    /// <summary>
    /// Consumed event ids are remembered this long. A redelivery comes within minutes (a broker reconnecting, an outbox
    /// mark lost in a crash); one later than this would be processed again.
    /// </summary>
    public double ProcessedEventsDays { get; set; } = 30;

    public double IntervalMinutes { get; set; } = 60;

    /// <summary>Rows deleted per statement, so that no pass holds locks or bloats the WAL for long.</summary>
    public int RowsPerStatement { get; set; } = 5000;
}

/// <summary>
/// Rows of <paramref name="Table"/> are deleted once <paramref name="Column"/> is older than <paramref name="Keep"/>;
/// rows where it is null stay. <paramref name="ServiceClock"/>: the column is stamped with the service's clock
/// (<c>Clock:Now</c>), not the system's.
/// </summary>
public sealed partial record RetentionRule(string Table, string Column, TimeSpan Keep, bool ServiceClock = false)
{
    /// <summary>
    /// Deletes up to {1} rows older than {0}. By ctid, so that a bounded chunk goes without an index on the column;
    /// the names are checked to be plain identifiers, since they are part of the statement.
    /// </summary>
    public string DeleteStatement =>
        Identifier().IsMatch(Table) && Identifier().IsMatch(Column)
            ? $"DELETE FROM {Table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM {Table} WHERE {Column} < {{0}} LIMIT {{1}}))"
            : throw new InvalidOperationException($"Not a plain table or column name: {Table}.{Column}");

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex Identifier();
}

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

public static class Retention
{
    /// <summary>
    /// The retention worker for <typeparamref name="TDb"/>, with the rules every service with a bus has: sent outbox rows
    /// and processed event ids. A service adds its own with <see cref="AddRetentionRule"/>.
    /// </summary>
    public static void AddRetention<TDb>(this IHostApplicationBuilder builder)
        where TDb : DbContext
    {
        var options = builder.Configuration.GetSection("Retention").Get<RetentionOptions>() ?? new RetentionOptions();
        builder.Services.TryAddSingleton(options);
        builder.Services.AddRetentionRule(new("outbox_messages", "sent_at", TimeSpan.FromDays(options.SentEventsDays)));
        builder.Services.AddRetentionRule(new("processed_messages", "processed_at", TimeSpan.FromDays(options.ProcessedEventsDays)));
        builder.Services.AddSingleton(sp => new RetentionWorker<TDb>(
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetServices<RetentionRule>(),
            options,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            TimeProvider.System,
            sp.GetRequiredService<ILogger<RetentionWorker<TDb>>>()
        ));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RetentionWorker<TDb>>());
    }

    public static IServiceCollection AddRetentionRule(this IServiceCollection services, RetentionRule rule) => services.AddSingleton(rule);
}
