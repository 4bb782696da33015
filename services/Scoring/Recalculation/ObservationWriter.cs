using System.Diagnostics;
using System.Threading.Channels;
using Cnh.Contracts;
using Cnh.Scoring.Data;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cnh.Scoring.Recalculation;

/// <summary>
/// Stores accepted values for the <c>SubmissionAccepted</c> consumer, many per transaction: the consumers handling
/// messages at the same time hand their values here and wait, and one commit stores them all (group commit). A commit
/// costs the same for one value as for a hundred, so a burst is stored at the rate PostgreSQL commits groups, not rows.
/// When a group fails, each of its values is tried alone, so a value that cannot be stored fails only its own message.
/// </summary>
public sealed class ObservationWriter(
    IServiceScopeFactory scopes,
    RecalculationQueue queue,
    IOptions<ScoringOptions> options,
    ILogger<ObservationWriter> logger
) : BackgroundService
{
    /// <summary>The consumer's name in <c>processed_messages</c> (rows written under it stay valid: never rename).</summary>
    public const string Consumer = "SubmissionAcceptedConsumer";

    readonly Channel<Write> _writes = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleWriter = false });

    /// <summary>Completes once the value is committed (or was already), fails when it could not be stored.</summary>
    /// <param name="alone">A value whose message failed before is written in a transaction of its own.</param>
    public async Task StoreAsync(SubmissionAccepted value, string? traceParent, bool alone, CancellationToken ct)
    {
        var write = new Write(value, traceParent);
        if (alone || !_writes.Writer.TryWrite(write))
            await StoreGroupAsync([write], ct);
        else
            await write.Done.Task.WaitAsync(ct);
        queue.Enqueue(value.IndicatorCode);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var writers = Enumerable.Range(0, Math.Max(1, options.Value.IntakeWriters)).Select(_ => WriteGroupsAsync(stoppingToken));
            await Task.WhenAll(writers);
        }
        finally
        {
            // Values still waiting are not acknowledged: their messages are delivered again after a restart.
            _writes.Writer.TryComplete();
            while (_writes.Reader.TryRead(out var write))
                write.Done.TrySetCanceled();
        }
    }

    async Task WriteGroupsAsync(CancellationToken ct)
    {
        var group = new List<Write>();
        var max = Math.Max(1, options.Value.IntakeGroupSize);
        try
        {
            while (await _writes.Reader.WaitToReadAsync(ct))
            {
                // No waiting for a group to fill: what arrived while the last commit ran is the next group.
                group.Clear();
                while (group.Count < max && _writes.Reader.TryRead(out var write))
                    group.Add(write);
                if (group.Count > 0)
                    await WriteAsync(group, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            foreach (var write in group)
                write.Done.TrySetCanceled(ct);
        }
    }

    async Task WriteAsync(List<Write> group, CancellationToken ct)
    {
        try
        {
            await StoreGroupAsync(group, ct);
            foreach (var write in group)
                write.Done.TrySetResult();
            return;
        }
        catch (Exception ex) when (group.Count > 1 && !ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Storing {Count} values together failed; storing each alone", group.Count);
        }
        catch (Exception ex)
        {
            // A single value, or shutting down: no message is acknowledged, each is delivered again.
            foreach (var write in group)
                write.Done.TrySetException(ex);
            return;
        }
        foreach (var write in group)
        {
            try
            {
                await StoreGroupAsync([write], ct);
                write.Done.TrySetResult();
            }
            catch (Exception ex)
            {
                write.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>
    /// One transaction: the shared lock of each indicator (values are stored side by side, never while their indicator
    /// is rescored), a processed-message row per event (a redelivered event is skipped), the observations and their
    /// pending marks for the <see cref="RecalculationWorker"/>.
    /// </summary>
    async Task StoreGroupAsync(IReadOnlyList<Write> group, CancellationToken ct)
    {
        using var activity = group.Count > 1 ? StartActivity(group) : null;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScoringDb>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await IndicatorRecalculator.LimitLockWaitAsync(db, options.Value.LockTimeoutSeconds, ct);
        await IndicatorRecalculator.LockIndicatorsSharedAsync(db, group.Select(w => w.Value.IndicatorCode), ct);

        var eventIds = group.Select(w => w.Value.EventId).Distinct().ToArray();
        var fresh = (
            await db
                .Database.SqlQuery<Guid>(
                    $"""
                    INSERT INTO processed_messages (consumer, message_id, processed_at)
                    SELECT {Consumer}, id, now() FROM unnest({eventIds}) AS id
                    ON CONFLICT DO NOTHING RETURNING message_id AS "Value"
                    """
                )
                .ToListAsync(ct)
        ).ToHashSet();
        var candidates = group.Where(w => fresh.Remove(w.Value.EventId)).ToList();
        if (candidates.Count < group.Count)
            logger.LogInformation("{Count} duplicate deliveries ignored", group.Count - candidates.Count);

        var submissionIds = candidates.Select(w => w.Value.SubmissionId).ToArray();
        var stored = (
            await db.Observations.Where(o => submissionIds.Contains(o.SubmissionId)).Select(o => o.SubmissionId).ToListAsync(ct)
        ).ToHashSet();
        var now = DateTimeOffset.UtcNow;
        foreach (var (m, traceParent) in candidates.Select(w => (w.Value, w.TraceParent)))
        {
            if (!stored.Add(m.SubmissionId))
                continue;
            db.Observations.Add(
                new ObservationRow
                {
                    IndicatorCode = m.IndicatorCode,
                    Period = m.Period,
                    Revision = m.Revision,
                    SubmissionId = m.SubmissionId,
                    Value = m.Value,
                    Department = m.Department,
                    SubmittedAt = m.SubmittedAt,
                    ReceivedAt = now,
                }
            );
            db.PendingScorings.Add(
                new PendingScoring
                {
                    IndicatorCode = m.IndicatorCode,
                    SubmissionId = m.SubmissionId,
                    Revision = m.Revision,
                    EnqueuedAt = now,
                    TraceParent = traceParent,
                }
            );
        }
        var added = db.ChangeTracker.Entries<ObservationRow>().Select(e => e.Entity).ToList();
        await db.CopyAddedAsync<ObservationRow>(ct);
        await db.CopyAddedAsync<PendingScoring>(ct);
        await KeepLatestAsync(db, added, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Raises each period's latest revision to the newest one stored (a revision that arrives after a newer one leaves it),
    /// in key order, so two groups never wait on each other's rows in a circle.
    /// </summary>
    static async Task KeepLatestAsync(ScoringDb db, List<ObservationRow> added, CancellationToken ct)
    {
        if (added.Count == 0)
            return;
        var newest = added.GroupBy(o => (o.IndicatorCode, o.Period)).Select(g => g.MaxBy(o => o.Revision)!).ToList();
        var codes = newest.Select(o => o.IndicatorCode).ToArray();
        var periods = newest.Select(o => o.Period).ToArray();
        var revisions = newest.Select(o => o.Revision).ToArray();
        var ids = newest.Select(o => o.SubmissionId).ToArray();
        var values = newest.Select(o => o.Value).ToArray();
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO latest_observations AS l (indicator_code, period, revision, submission_id, value)
            SELECT * FROM unnest({codes}::text[], {periods}::text[], {revisions}::int[], {ids}::uuid[], {values}::float8[])
            ORDER BY 1, 2
            ON CONFLICT (indicator_code, period) DO UPDATE
            SET revision = excluded.revision, submission_id = excluded.submission_id, value = excluded.value
            WHERE excluded.revision > l.revision
            """,
            ct
        );
    }

    /// <summary>A group's commit belongs to the trace of its first value and links the others' traces.</summary>
    static Activity? StartActivity(IReadOnlyList<Write> group)
    {
        var contexts = group
            .Select(w => ActivityContext.TryParse(w.TraceParent, null, out var c) ? c : default)
            .Where(c => c != default)
            .ToList();
        var activity = Telemetry.Source.StartActivity(
            "store values",
            ActivityKind.Internal,
            contexts.FirstOrDefault(),
            links: contexts.Skip(1).Take(32).Select(c => new ActivityLink(c))
        );
        activity?.SetTag("cnh.values", group.Count);
        return activity;
    }

    sealed class Write(SubmissionAccepted value, string? traceParent)
    {
        public SubmissionAccepted Value { get; } = value;
        public string? TraceParent { get; } = traceParent;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
