using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Cnh.Scoring.Data;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cnh.Scoring.Recalculation;

/// <summary>
/// Indicators waiting to be rescored; each is queued at most once however many values arrive for it, and no sooner than
/// <see cref="ScoringOptions.MinRecalculationIntervalMilliseconds"/> after its last recalculation began: under a
/// steady stream of values an indicator is rescored a few times a second for all of them, not once for every few.
/// </summary>
public sealed class RecalculationQueue(IOptions<ScoringOptions> options, TimeProvider time)
{
    readonly Channel<string> _ready = Channel.CreateUnbounded<string>();
    readonly ConcurrentDictionary<string, byte> _queued = new();
    readonly ConcurrentDictionary<string, long> _startedAt = new();

    public void Enqueue(string code)
    {
        if (!_queued.TryAdd(code, 0))
            return;
        var interval = TimeSpan.FromMilliseconds(Math.Max(0, options.Value.MinRecalculationIntervalMilliseconds));
        var wait = _startedAt.TryGetValue(code, out var started) ? interval - time.GetElapsedTime(started) : TimeSpan.Zero;
        if (wait <= TimeSpan.Zero)
            _ready.Writer.TryWrite(code);
        else
            _ = ReadyAfterAsync(code, wait);
    }

    async Task ReadyAfterAsync(string code, TimeSpan wait)
    {
        await Task.Delay(wait, time);
        _ready.Writer.TryWrite(code);
    }

    public async ValueTask<string> DequeueAsync(CancellationToken ct)
    {
        var code = await _ready.Reader.ReadAsync(ct);
        _startedAt[code] = time.GetTimestamp();
        // Values arriving from now on queue the indicator again, so none waits for the next poll.
        _queued.TryRemove(code, out _);
        return code;
    }
}

/// <summary>
/// Rescores indicators with pending values: a few at a time in parallel, each under its exclusive lock, taking in
/// up to <see cref="ScoringOptions.MaxValuesPerRecalculation"/> pending values per recalculation. A poll finds the
/// pending values of other instances, of a restart, or of a recalculation that failed.
/// </summary>
public sealed class RecalculationWorker(
    RecalculationQueue queue,
    IServiceScopeFactory scopes,
    IOptions<ScoringOptions> options,
    ILogger<RecalculationWorker> logger
) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, Math.Max(1, options.Value.RecalculationConcurrency)).Select(_ => WorkAsync(stoppingToken));
        return Task.WhenAll(workers.Append(PollAsync(stoppingToken)));
    }

    async Task PollAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(50, options.Value.PendingPollMilliseconds)));
        while (await timer.WaitForNextTickAsync(ct))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ScoringDb>();
                foreach (var code in await db.PendingScorings.Select(p => p.IndicatorCode).Distinct().ToListAsync(ct))
                    queue.Enqueue(code);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not look for pending values; trying again");
            }
        }
    }

    async Task WorkAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            string code;
            try
            {
                code = await queue.DequeueAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var more = await RescoreAsync(
                    scope.ServiceProvider.GetRequiredService<ScoringDb>(),
                    scope.ServiceProvider.GetRequiredService<IndicatorRecalculator>(),
                    code,
                    ct
                );
                if (more)
                    queue.Enqueue(code);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // The pending values stay; the poll queues the indicator again.
                logger.LogWarning(ex, "Rescoring {Indicator} failed; it is retried", code);
            }
        }
    }

    /// <returns>True when more pending values are left than one recalculation takes.</returns>
    async Task<bool> RescoreAsync(ScoringDb db, IndicatorRecalculator recalculator, string code, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // A session stuck on this indicator delays only this indicator, and only until the timeout.
        await IndicatorRecalculator.LockIndicatorAsync(db, code, options.Value.LockTimeoutSeconds, ct);
        var limit = Math.Max(1, options.Value.MaxValuesPerRecalculation);
        var pending = await db
            .PendingScorings.AsNoTracking()
            .Where(p => p.IndicatorCode == code)
            .OrderBy(p => p.Id)
            .Take(limit + 1)
            .ToListAsync(ct);
        if (pending.Count == 0)
            return false;
        var definition = await db.Definitions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == code, ct);
        // Without a definition the values wait; IndicatorDefinedConsumer queues the indicator when it arrives.
        if (definition is null)
            return false;

        var batch = pending.Take(limit).ToList();
        var latest = batch[^1];
        using var activity = StartActivity(code, batch);
        var cause =
            batch.Count == 1
                ? $"submission {latest.SubmissionId} revision {latest.Revision}"
                : $"{batch.Count} submissions, the latest {latest.SubmissionId} revision {latest.Revision}";
        await recalculator.RecalculateAsync(definition, cause, batch.Select(p => p.SubmissionId).ToList(), ct);
        var ids = batch.Select(p => p.Id).ToArray();
        await db.PendingScorings.Where(p => ids.Contains(p.Id)).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return pending.Count > limit;
    }

    /// <summary>Continues the trace of the latest submission taken in, and links the others' (so one trace still covers a value's whole
    /// way).</summary>
    static Activity? StartActivity(string code, List<PendingScoring> batch)
    {
        var contexts = batch
            .Select(p => ActivityContext.TryParse(p.TraceParent, null, out var c) ? c : default)
            .Where(c => c != default)
            .ToList();
        var parent = contexts.Count > 0 ? contexts[^1] : default;
        var links = contexts.SkipLast(1).TakeLast(32).Select(c => new ActivityLink(c));
        var activity = Telemetry.Source.StartActivity($"rescore {code}", ActivityKind.Internal, parent, links: links);
        activity?.SetTag("cnh.indicator", code);
        activity?.SetTag("cnh.values", batch.Count);
        return activity;
    }
}
