using System.Security.Claims;
using Cnh.Contracts;
using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Cnh.Submissions.Submit;

/// <summary>
/// Stores accepted values: numbers their revisions, and adds a <c>SubmissionAccepted</c> and an audit entry for each.
/// Revisions are numbered by <c>latest_values</c>: each write raises its period's row by one (or by a batch's count),
/// and the row's lock makes writers of the same period take turns until they commit. A batch raises its rows in one
/// statement, in key order, so two writers never wait on each other in a circle.
/// </summary>
public static class SubmissionWriter
{
    /// <summary>
    /// One value in one statement, its own transaction: the next revision, the submission, its event in the outbox, the
    /// audit entry and (with an <c>Idempotency-Key</c>) the answer kept for retries, each carrying the revision the
    /// first part numbered. A key stored meanwhile by a racing retry fails the whole statement: nothing is written. A
    /// period the statistics office accepted is locked: its row is not raised, so nothing is written either.
    /// </summary>
    const string StoreOneSql = """
        WITH revision AS (
            INSERT INTO latest_values AS l (indicator_code, period, revision, value) VALUES ($1, $2, 1, $3)
            ON CONFLICT (indicator_code, period) DO UPDATE SET revision = l.revision + 1, value = excluded.value
            WHERE NOT l.locked
            RETURNING revision
        ), submission AS (
            INSERT INTO submissions (id, indicator_code, period, revision, value, note, source, department, submitted_by,
                                     submitted_at, trace_id, flagged, flag_reason, batch_id, status, approval)
            SELECT $4, $1, $2, revision, $3, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13, $35 FROM revision
        ), outbox AS (
            INSERT INTO outbox_messages (message_id, message_type, payload, trace_parent, trace_state, created_at, attempts)
            SELECT $14, $15, jsonb_set($16, '{revision}', to_jsonb(revision)), $17, $18, $19, 0 FROM revision
        ), audit AS (
            INSERT INTO audit_entries (at, action, entity, entity_key, client_id, role, department, trace_id, details)
            SELECT $20, $21, $22, $23, $24, $25, $26, $27, jsonb_set($28, '{revision}', to_jsonb(revision)) FROM revision
        ), idempotency AS (
            INSERT INTO idempotency_keys (client_id, key, request_hash, created_at, location, response)
            SELECT $29, $30, $31, $32, $33, jsonb_set($34, '{revision}', to_jsonb(revision)) FROM revision WHERE $30 IS NOT NULL
        ), awaiting AS (
            INSERT INTO outbox_messages (message_id, message_type, payload, trace_parent, trace_state, created_at, attempts)
            SELECT $36, $37, jsonb_set($38, '{revision}', to_jsonb(revision)), $17, $18, $19, 0 FROM revision WHERE $36 IS NOT NULL
        )
        SELECT revision FROM revision
        """;

    /// <param name="awaitsStatistics">In a one-level catalogue the value waits for the statistics office as it comes: a
    /// <c>SubmissionApproved</c> says so, with the submitter as the approver.</param>
    /// <returns>The revision the value was stored as; null when its period is locked.</returns>
    public static async Task<int?> StoreOneAsync(
        SubmissionsDb db,
        ClaimsPrincipal user,
        Submission row,
        IdempotencyRecord? answer,
        bool awaitsStatistics,
        CancellationToken ct
    )
    {
        var accepted = Accepted(row);
        var outbox = MessagingModel.NewOutboxMessage(accepted);
        var waiting = awaitsStatistics ? MessagingModel.NewOutboxMessage(AwaitingStatistics(row)) : null;
        var audit = AuditOf(user, row);
        return await RunAsync(
            db,
            StoreOneSql,
            [
                Text(row.IndicatorCode),
                Text(row.Period),
                new NpgsqlParameter<double> { TypedValue = row.Value },
                new NpgsqlParameter<Guid> { TypedValue = row.Id },
                Text(row.Note),
                Text(row.Source),
                Text(row.Department),
                Text(row.SubmittedBy),
                Instant(row.SubmittedAt),
                Text(row.TraceId),
                new NpgsqlParameter<bool> { TypedValue = row.Flagged },
                Text(row.FlagReason),
                Text(row.Status.ToString()),
                new NpgsqlParameter<Guid> { TypedValue = outbox.MessageId },
                Text(outbox.MessageType),
                Json(outbox.Payload),
                Text(outbox.TraceParent),
                Text(outbox.TraceState),
                Instant(outbox.CreatedAt),
                Instant(audit.At),
                Text(audit.Action),
                Text(audit.Entity),
                Text(audit.EntityKey),
                Text(audit.ClientId),
                Text(audit.Role),
                Text(audit.Department),
                Text(audit.TraceId),
                Json(audit.Details),
                Text(answer?.ClientId),
                Text(answer?.Key),
                Text(answer?.RequestHash),
                Instant(answer?.CreatedAt ?? row.SubmittedAt),
                Text(answer?.Location),
                Json(answer?.Response),
                Text(row.Approval.ToString()),
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = waiting?.MessageId ?? (object)DBNull.Value },
                Text(waiting?.MessageType),
                Json(waiting?.Payload),
            ],
            async command => await command.ExecuteScalarAsync(ct) is int revision ? revision : (int?)null,
            ct
        );
    }

    /// <summary>
    /// A statement of this writer on the context's pooled connection, straight through Npgsql: the hot path pays for
    /// no query translation or materialization.
    /// </summary>
    static async Task<T> RunAsync<T>(
        SubmissionsDb db,
        string sql,
        NpgsqlParameter[] parameters,
        Func<NpgsqlCommand, Task<T>> run,
        CancellationToken ct
    )
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection());
            command.Parameters.AddRange(parameters);
            return await run(command);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = value ?? (object)DBNull.Value };

    static NpgsqlParameter Json(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = value ?? (object)DBNull.Value };

    static NpgsqlParameter Instant(DateTimeOffset value) => new NpgsqlParameter<DateTimeOffset> { TypedValue = value.ToUniversalTime() };

    /// <summary>
    /// A batch's values with their audit entries and events, copied in the caller's transaction: their revisions
    /// are numbered by raising each period's <c>latest_values</c> row by the number of the batch's values for it. The
    /// values travel as <see cref="SubmissionBatchAccepted"/> parts of <paramref name="valuesPerEvent"/>.
    /// </summary>
    /// <exception cref="PeriodLockedException">A period was locked meanwhile (the caller checked before).</exception>
    public static async Task StoreAsync(
        SubmissionsDb db,
        ClaimsPrincipal user,
        IReadOnlyList<Submission> rows,
        Func<Submission, bool> awaitsStatistics,
        int valuesPerEvent,
        CancellationToken ct
    )
    {
        // The statement raises the rows in key order (its ORDER BY), whatever the order here.
        var perPeriod = rows.GroupBy(r => (r.IndicatorCode, r.Period)).ToDictionary(g => g.Key, g => (Count: g.Count(), g.Last().Value));
        var codes = perPeriod.Keys.Select(k => k.IndicatorCode).ToArray();
        var periods = perPeriod.Keys.Select(k => k.Period).ToArray();
        var counts = perPeriod.Values.Select(p => p.Count).ToArray();
        var values = perPeriod.Values.Select(p => p.Value).ToArray();
        var raised = await db
            .Database.SqlQuery<LatestValue>(
                $"""
                INSERT INTO latest_values AS l (indicator_code, period, revision, value)
                SELECT * FROM unnest({codes}::text[], {periods}::text[], {counts}::int[], {values}::float8[])
                ORDER BY 1, 2
                ON CONFLICT (indicator_code, period) DO UPDATE SET revision = l.revision + excluded.revision, value = excluded.value
                WHERE NOT l.locked
                RETURNING indicator_code, period, revision, value, locked
                """
            )
            .ToListAsync(ct);
        if (raised.Count < perPeriod.Count)
            throw new PeriodLockedException(
                perPeriod.Keys.Except(raised.Select(r => (r.IndicatorCode, r.Period))).Select(k => $"{k.IndicatorCode} {k.Period}").ToList()
            );
        // The batch's values of a period take the revisions just below the new latest one, in the batch's order.
        var next = raised.ToDictionary(r => (r.IndicatorCode, r.Period), r => r.Revision - perPeriod[(r.IndicatorCode, r.Period)].Count);
        var outbox = new List<OutboxMessage>();
        var audit = new List<AuditEntry>(rows.Count);
        foreach (var row in rows)
        {
            var key = (row.IndicatorCode, row.Period);
            row.Revision = next[key] = next[key] + 1;
            if (awaitsStatistics(row))
            {
                var waiting = MessagingModel.NewOutboxMessage(AwaitingStatistics(row));
                // The batch's trace follows its first approvals; thousands would bury it. The others start traces of
                // their own, sampled as any new trace.
                if (outbox.Count >= TracedApprovalsPerBatch)
                    (waiting.TraceParent, waiting.TraceState) = (null, null);
                outbox.Add(waiting);
            }
            audit.Add(AuditOf(user, row));
        }
        foreach (var part in rows.Chunk(Math.Max(1, valuesPerEvent)))
            outbox.Add(
                MessagingModel.NewOutboxMessage(
                    new SubmissionBatchAccepted(Guid.NewGuid(), part[0].SubmittedAt, part[0].BatchId!.Value, [.. part.Select(Accepted)])
                )
            );
        // Thousands of rows: one COPY per table instead of an INSERT per row.
        await db.CopyAsync(rows, ct);
        await db.CopyAsync(outbox, ct);
        await db.CopyAsync(audit, ct);
    }

    const int TracedApprovalsPerBatch = 10;

    static SubmissionAccepted Accepted(Submission row) =>
        new(
            Guid.NewGuid(),
            row.SubmittedAt,
            row.Id,
            row.Revision,
            row.Department,
            row.IndicatorCode,
            row.Period,
            row.Value,
            row.SubmittedBy,
            row.SubmittedAt,
            Official: row.Approval == ApprovalState.Accepted
        );

    /// <summary>In a one-level catalogue a value waits for the statistics office as it comes, "approved" by its submitter.</summary>
    static SubmissionApproved AwaitingStatistics(Submission row) => Approval.ApprovalEvents.Approved(row, row.SubmittedBy, row.SubmittedAt);

    static AuditEntry AuditOf(ClaimsPrincipal user, Submission row) =>
        AuditModel.NewEntry(
            user,
            "submission.accepted",
            "submission",
            row.Id.ToString(),
            new
            {
                row.IndicatorCode,
                row.Period,
                row.Revision,
                row.Value,
                row.Note,
                row.Source,
                row.Flagged,
                row.BatchId,
            }
        );

    /// <summary>The latest value of every period of these indicators, to judge new values against, and which periods are
    /// locked.</summary>
    public static async Task<(Dictionary<string, Dictionary<string, double>> History, HashSet<(string, string)> Locked)> LoadHistoryAsync(
        SubmissionsDb db,
        IReadOnlyCollection<string> codes,
        CancellationToken ct
    )
    {
        var rows = await db.LatestValues.AsNoTracking().Where(v => codes.Contains(v.IndicatorCode)).ToListAsync(ct);
        return (
            rows.GroupBy(r => r.IndicatorCode).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Period, r => r.Value)),
            rows.Where(r => r.Locked).Select(r => (r.IndicatorCode, r.Period)).ToHashSet()
        );
    }

    public static HistoryStats OtherPeriods(Dictionary<string, Dictionary<string, double>> history, string? code, string? period) =>
        code is not null && history.TryGetValue(code, out var byPeriod)
            ? HistoryStats.Of(byPeriod.Where(p => p.Key != period).Select(p => p.Value).ToList())
            : HistoryStats.None;

    const string IndicatorWithHistorySql = """
        SELECT i.code, i."group", i.unit, i.responsible_department, i.coordinating_departments, i.reporting_frequency,
               i.due_days, i.plausible_min, i.plausible_max, i.version, i.retired, i.catalogue,
               h.count, h.mean, h.std_dev, h.min, h.max
        FROM indicator_replicas i CROSS JOIN LATERAL (
            SELECT count(*)::int AS count, coalesce(avg(value), 0) AS mean, coalesce(stddev_pop(value), 0) AS std_dev,
                   coalesce(min(value), 0) AS min, coalesce(max(value), 0) AS max
            FROM latest_values WHERE indicator_code = i.code AND period <> $2) h
        WHERE i.code = $1
        """;

    /// <summary>
    /// The indicator a single value is for and the latest values of its other periods, summarized by the database: one
    /// round trip and one row, however long the history.
    /// </summary>
    public static Task<(IndicatorReplica? Indicator, HistoryStats History)> LoadIndicatorAsync(
        SubmissionsDb db,
        string code,
        string period,
        CancellationToken ct
    ) =>
        RunAsync<(IndicatorReplica?, HistoryStats)>(
            db,
            IndicatorWithHistorySql,
            [Text(code), Text(period)],
            async command =>
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct))
                    return (null, HistoryStats.None);
                var indicator = new IndicatorReplica
                {
                    Code = reader.GetString(0),
                    Group = reader.GetString(1),
                    Unit = reader.GetString(2),
                    ResponsibleDepartment = reader.GetString(3),
                    CoordinatingDepartments = [.. reader.GetFieldValue<string[]>(4)],
                    ReportingFrequency = reader.GetString(5),
                    DueDays = reader.GetInt32(6),
                    PlausibleMin = reader.IsDBNull(7) ? null : reader.GetDouble(7),
                    PlausibleMax = reader.IsDBNull(8) ? null : reader.GetDouble(8),
                    Version = reader.GetInt32(9),
                    Retired = reader.GetBoolean(10),
                    Catalogue = reader.GetString(11),
                };
                var history = new HistoryStats(
                    reader.GetInt32(12),
                    reader.GetDouble(13),
                    reader.GetDouble(14),
                    reader.GetDouble(15),
                    reader.GetDouble(16)
                );
                return (indicator, history);
            },
            ct
        );

    public static Submission NewSubmission(
        SubmissionRequest request,
        IndicatorReplica indicator,
        ReportingPeriod period,
        string? flagReason,
        ClaimsPrincipal user,
        DateTimeOffset at,
        bool official,
        Guid? batchId = null
    ) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            IndicatorCode = indicator.Code,
            Period = period.Text,
            Value = request.Value!.Value,
            Note = request.Note,
            Source = request.Source,
            Department = indicator.ResponsibleDepartment,
            SubmittedBy = user.ClientId(),
            SubmittedAt = at,
            TraceId = System.Diagnostics.Activity.Current is { Recorded: true } trace ? trace.TraceId.ToHexString() : null,
            Flagged = flagReason is not null,
            FlagReason = flagReason,
            BatchId = batchId,
            Status = SubmissionStatus.Accepted,
            // Without approval steps a value is official as it comes.
            Approval = official ? ApprovalState.Accepted : ApprovalState.Submitted,
        };
}

/// <summary>Values for periods the statistics office accepted: an admin must unlock them first.</summary>
public sealed class PeriodLockedException(IReadOnlyList<string> periods) : Exception($"Locked: {string.Join(", ", periods)}")
{
    public IReadOnlyList<string> Periods { get; } = periods;
}
