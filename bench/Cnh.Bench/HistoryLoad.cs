using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Cnh.Bench;

public sealed record HistoryResult(int Values, int Periods, double Seconds);

/// <summary>
/// Gives the bench's indicators years of stored history, as a platform in use for a long time would hold: values for
/// every indicator and month of <see cref="BenchPlatform.Periods"/>, many revisions each, written with <c>COPY</c>
/// straight into submissions' and scoring's tables (and their latest-revision tables), already scored. The history
/// phase then repeats the gateway phase on top of it: the cost of a value must not grow with what is stored.
/// </summary>
public static class HistoryLoad
{
    public static async Task<HistoryResult> RunAsync(string postgres, BenchPlatform platform, int values, Action<string> progress)
    {
        var stopwatch = Stopwatch.StartNew();
        var keys = platform.Indicators.SelectMany(c => BenchPlatform.Periods.Select(p => (Code: c, Period: p))).ToList();
        await using var submissions = await OpenAsync(postgres, "cnh_submissions");
        await using var scoring = await OpenAsync(postgres, "cnh_scoring");

        // Numbered after what the earlier phases stored, as if these values had come later.
        var revisions = new Dictionary<(string, string), int>();
        await using (
            var read = new NpgsqlCommand(
                "SELECT indicator_code, period, revision FROM latest_values WHERE indicator_code = ANY($1)",
                submissions
            )
        )
        {
            read.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. platform.Indicators] });
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                revisions[(reader.GetString(0), reader.GetString(1))] = reader.GetInt32(2);
        }
        var random = new Random(17);
        var rows = new List<Row>(values);
        for (var i = 0; i < values; i++)
        {
            var key = keys[i % keys.Count];
            var revision = revisions[key] = revisions.GetValueOrDefault(key) + 1;
            rows.Add(new Row(key.Code, key.Period, revision, Guid.CreateVersion7(), Math.Round(45 + random.NextDouble() * 10, 2)));
        }
        var at = DateTime.UtcNow;
        var client = platform.Clients[0].Id;

        progress($"  history: writing {values:N0} submissions");
        await using (
            var copy = await submissions.BeginBinaryImportAsync(
                "COPY submissions (id, indicator_code, period, revision, value, note, department, submitted_by, submitted_at, flagged, "
                    + "status, scored_at) FROM STDIN (FORMAT BINARY)"
            )
        )
        {
            foreach (var r in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(r.Id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(r.Code, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Period, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Revision, NpgsqlDbType.Integer);
                await copy.WriteAsync(r.Value, NpgsqlDbType.Double);
                await copy.WriteAsync("bench history", NpgsqlDbType.Text);
                await copy.WriteAsync(BenchPlatform.Department, NpgsqlDbType.Text);
                await copy.WriteAsync(client, NpgsqlDbType.Text);
                await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(false, NpgsqlDbType.Boolean);
                await copy.WriteAsync("Scored", NpgsqlDbType.Text);
                await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
            }
            await copy.CompleteAsync();
        }
        progress($"  history: writing {values:N0} observations ({stopwatch.Elapsed.TotalSeconds:0} s)");
        await using (
            var copy = await scoring.BeginBinaryImportAsync(
                "COPY observations (indicator_code, period, revision, submission_id, value, department, submitted_at, received_at) "
                    + "FROM STDIN (FORMAT BINARY)"
            )
        )
        {
            foreach (var r in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(r.Code, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Period, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Revision, NpgsqlDbType.Integer);
                await copy.WriteAsync(r.Id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(r.Value, NpgsqlDbType.Double);
                await copy.WriteAsync(BenchPlatform.Department, NpgsqlDbType.Text);
                await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
            }
            await copy.CompleteAsync();
        }

        var latest = rows.GroupBy(r => (r.Code, r.Period)).Select(g => g.MaxBy(r => r.Revision)!).ToList();
        await RunAsync(
            submissions,
            """
            INSERT INTO latest_values AS l (indicator_code, period, revision, value)
            SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $5::float8[])
            ON CONFLICT (indicator_code, period) DO UPDATE SET revision = excluded.revision, value = excluded.value;
            """,
            latest
        );
        await RunAsync(
            scoring,
            """
            INSERT INTO latest_observations AS l (indicator_code, period, revision, submission_id, value)
            SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::uuid[], $5::float8[])
            ON CONFLICT (indicator_code, period) DO UPDATE
            SET revision = excluded.revision, submission_id = excluded.submission_id, value = excluded.value;
            """,
            latest
        );
        // As autovacuum would soon after such a load: the planner sees the tables as they now are.
        progress($"  history: analyzing ({stopwatch.Elapsed.TotalSeconds:0} s)");
        await new NpgsqlCommand("ANALYZE submissions; ANALYZE latest_values", submissions).ExecuteNonQueryAsync();
        await new NpgsqlCommand("ANALYZE observations; ANALYZE latest_observations", scoring).ExecuteNonQueryAsync();
        progress($"  history: {values:N0} values stored in {stopwatch.Elapsed.TotalSeconds:0} s");
        return new HistoryResult(values, keys.Count, Math.Round(stopwatch.Elapsed.TotalSeconds, 1));
    }

    static async Task RunAsync(NpgsqlConnection connection, string sql, List<Row> latest)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. latest.Select(r => r.Code)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. latest.Select(r => r.Period)] });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. latest.Select(r => r.Revision)] });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. latest.Select(r => r.Id)] });
        command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = [.. latest.Select(r => r.Value)] });
        await command.ExecuteNonQueryAsync();
    }

    static async Task<NpgsqlConnection> OpenAsync(string postgres, string database)
    {
        var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(postgres)
            {
                Database = database,
                Pooling = false,
                CommandTimeout = 600,
            }.ConnectionString
        );
        await connection.OpenAsync();
        return connection;
    }

    sealed record Row(string Code, string Period, int Revision, Guid Id, double Value);
}
