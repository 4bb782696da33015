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

    /// <summary>A batch's part: a group already, stored in one transaction of its own.</summary>
    public async Task StorePartAsync(IReadOnlyList<SubmissionAccepted> values, string? traceParent, CancellationToken ct)
    {
        await StoreGroupAsync([.. values.Select(v => new Write(v, traceParent))], ct);
        foreach (var code in values.Select(v => v.IndicatorCode).Distinct())
            queue.Enqueue(code);
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
    /// One statement, so one transaction: a processed-message row per event (a redelivered event is skipped), the
    /// observations (a submission already stored is skipped), their pending marks for the
    /// <see cref="RecalculationWorker"/>, each period's latest revision and, for values official as they come, its
    /// official one (a revision arriving after a newer one
    /// leaves it; rows are raised in key order, so two groups never wait on each other in a circle). A recalculation
    /// running meanwhile is not waited for: a value it did not see keeps its pending mark and is taken in by the next.
    /// </summary>
    async Task StoreGroupAsync(IReadOnlyList<Write> group, CancellationToken ct)
    {
        using var activity = group.Count > 1 ? StartActivity(group) : null;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScoringDb>();
        var values = group.Select(w => w.Value).ToList();
        var eventIds = values.Select(v => v.EventId).ToArray();
        var codes = values.Select(v => v.IndicatorCode).ToArray();
        var periods = values.Select(v => v.Period).ToArray();
        var revisions = values.Select(v => v.Revision).ToArray();
        var submissionIds = values.Select(v => v.SubmissionId).ToArray();
        var numbers = values.Select(v => v.Value).ToArray();
        var departments = values.Select(v => v.Department).ToArray();
        var submittedAt = values.Select(v => v.SubmittedAt.ToUniversalTime()).ToArray();
        var traceParents = group.Select(w => w.TraceParent).ToArray();
        var official = values.Select(v => v.Official).ToArray();
        var fresh = await db
            .Database.SqlQuery<int>(
                $"""
                WITH input AS (
                    SELECT DISTINCT ON (event_id) * FROM unnest({eventIds}::uuid[], {codes}::text[], {periods}::text[],
                        {revisions}::int[], {submissionIds}::uuid[], {numbers}::float8[], {departments}::text[],
                        {submittedAt}::timestamptz[], {traceParents}::text[], {official}::bool[])
                        AS t(event_id, indicator_code, period, revision, submission_id, value, department, submitted_at, trace_parent,
                             official)
                ), fresh AS (
                    INSERT INTO processed_messages (consumer, message_id, processed_at)
                    SELECT {Consumer}, event_id, now() FROM input ON CONFLICT DO NOTHING RETURNING message_id
                ), stored AS (
                    INSERT INTO observations (indicator_code, period, revision, submission_id, value, department, submitted_at, received_at)
                    SELECT DISTINCT ON (submission_id)
                           indicator_code, period, revision, submission_id, value, department, submitted_at, now()
                    FROM input WHERE event_id IN (SELECT message_id FROM fresh)
                    ON CONFLICT (submission_id) DO NOTHING
                    RETURNING indicator_code, period, revision, submission_id, value
                ), pending AS (
                    INSERT INTO pending_scorings (indicator_code, submission_id, revision, enqueued_at, trace_parent)
                    SELECT DISTINCT ON (s.submission_id) s.indicator_code, s.submission_id, s.revision, now(), i.trace_parent
                    FROM stored s JOIN input i ON i.submission_id = s.submission_id
                ), latest AS (
                    INSERT INTO latest_observations AS l (indicator_code, period, revision, submission_id, value)
                    SELECT DISTINCT ON (indicator_code, period) indicator_code, period, revision, submission_id, value
                    FROM stored ORDER BY indicator_code, period, revision DESC
                    ON CONFLICT (indicator_code, period) DO UPDATE
                    SET revision = excluded.revision, submission_id = excluded.submission_id, value = excluded.value
                    WHERE excluded.revision > l.revision
                ), official AS (
                    INSERT INTO official_values AS o (indicator_code, period, revision, submission_id, value, accepted_at)
                    SELECT DISTINCT ON (s.indicator_code, s.period) s.indicator_code, s.period, s.revision, s.submission_id, s.value, now()
                    FROM stored s JOIN input i ON i.submission_id = s.submission_id AND i.official
                    ORDER BY s.indicator_code, s.period, s.revision DESC
                    ON CONFLICT (indicator_code, period) DO UPDATE
                    SET revision = excluded.revision, submission_id = excluded.submission_id, value = excluded.value,
                        accepted_at = excluded.accepted_at
                    WHERE excluded.revision > o.revision
                )
                SELECT count(*)::int AS "Value" FROM fresh
                """
            )
            // Not SingleAsync: EF would wrap the statement in a subquery, where PostgreSQL allows no INSERT.
            .ToListAsync(ct);
        if (fresh[0] < group.Count)
            logger.LogInformation("{Count} duplicate deliveries ignored", group.Count - fresh[0]);
    }

    /// <summary>A group's commit belongs to the trace of its first value and links the others' traces.</summary>
    static Activity? StartActivity(IReadOnlyList<Write> group)
    {
        var contexts = group
            .Select(w => ActivityContext.TryParse(w.TraceParent, null, out var c) ? c : default)
            .Where(c => c != default)
            .Distinct()
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
