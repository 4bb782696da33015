using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Cnh.Bench;

public sealed record BaselineResult(string Name, double Seconds, long Operations, double PerSecond, LatencySummary Latency);

/// <summary>
/// What the machine allows without the platform: the same payload through RabbitMQ (durable quorum queue, persistent
/// messages, publisher confirms, manual acks) and single-row insert transactions into PostgreSQL, at the same concurrency.
/// </summary>
public static class Baselines
{
    static readonly byte[] Payload = JsonSerializer.SerializeToUtf8Bytes(
        new
        {
            eventId = Guid.NewGuid(),
            occurredAt = DateTimeOffset.UtcNow,
            submissionId = Guid.NewGuid(),
            revision = 1,
            department = "BENCH",
            indicatorCode = "BENCH-000000-01",
            period = "2024",
            value = 50.5,
            submittedBy = "dept-bench-xxxxxxxx",
            submittedAt = DateTimeOffset.UtcNow,
        }
    );

    public static async Task<BaselineResult> RabbitMqAsync(ConnectionFactory factory, int publishers, TimeSpan duration)
    {
        const string queue = "cnh-bench-baseline";
        await using var connection = await factory.CreateConnectionAsync("cnh-bench-baseline");
        await using (var setup = await connection.CreateChannelAsync())
        {
            await setup.QueueDeclareAsync(
                queue,
                durable: true,
                exclusive: false,
                autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }
            );
            await setup.QueuePurgeAsync(queue);
        }
        long consumed = 0;
        await using var consumerChannel = await connection.CreateChannelAsync();
        await consumerChannel.BasicQosAsync(0, 200, false);
        var consumer = new AsyncEventingBasicConsumer(consumerChannel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            Interlocked.Increment(ref consumed);
            await consumerChannel.BasicAckAsync(delivery.DeliveryTag, false);
        };
        await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer);

        var latency = new Latencies();
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(
            Enumerable
                .Range(0, publishers)
                .Select(async _ =>
                {
                    await using var channel = await connection.CreateChannelAsync(
                        new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)
                    );
                    var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
                    while (stopwatch.Elapsed < duration)
                    {
                        var started = Stopwatch.GetTimestamp();
                        await channel.BasicPublishAsync("", queue, mandatory: true, properties, Payload); // returns once confirmed
                        latency.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                })
        );
        var published = latency.Count;
        while (Interlocked.Read(ref consumed) < published && stopwatch.Elapsed < duration + TimeSpan.FromSeconds(30))
            await Task.Delay(20);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        await using (var teardown = await connection.CreateChannelAsync())
            await teardown.QueueDeleteAsync(queue);
        return new(
            "RabbitMQ publish (confirmed) + consume",
            Math.Round(seconds, 1),
            Interlocked.Read(ref consumed),
            Math.Round(Interlocked.Read(ref consumed) / seconds, 1),
            latency.Summarize()
        );
    }

    public static async Task<BaselineResult> PostgresAsync(string connectionString, int writers, TimeSpan duration)
    {
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = 'cnh_bench'", connection);
            if (await exists.ExecuteScalarAsync() is null)
                await new NpgsqlCommand("CREATE DATABASE cnh_bench", connection).ExecuteNonQueryAsync();
        }
        var bench = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Database = "cnh_bench",
            MaxPoolSize = writers + 4,
        }.ConnectionString;
        await using (var connection = new NpgsqlConnection(bench))
        {
            await connection.OpenAsync();
            // The columns of a submission row, with its primary key and its (indicator, period, revision) index.
            await new NpgsqlCommand(
                """
                DROP TABLE IF EXISTS baseline_rows;
                CREATE TABLE baseline_rows (
                    id uuid PRIMARY KEY, indicator_code text NOT NULL, period text NOT NULL, revision int NOT NULL,
                    value double precision NOT NULL, note text, department text NOT NULL, submitted_by text NOT NULL,
                    submitted_at timestamptz NOT NULL, status text NOT NULL);
                CREATE INDEX ON baseline_rows (indicator_code, period, revision);
                """,
                connection
            ).ExecuteNonQueryAsync();
        }
        var latency = new Latencies();
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(
            Enumerable
                .Range(0, writers)
                .Select(async w =>
                {
                    await using var connection = new NpgsqlConnection(bench);
                    await connection.OpenAsync();
                    var revision = 0;
                    while (stopwatch.Elapsed < duration)
                    {
                        var started = Stopwatch.GetTimestamp();
                        await using var tx = await connection.BeginTransactionAsync();
                        await using var insert = new NpgsqlCommand(
                            """
                            INSERT INTO baseline_rows
                            VALUES (@id, 'BENCH-000000-01', '2024', @revision, 50.5, 'bench', 'BENCH', 'dept-bench', now(), 'Accepted')
                            """,
                            connection,
                            tx
                        );
                        insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
                        insert.Parameters.AddWithValue("revision", ++revision * 1000 + w);
                        await insert.ExecuteNonQueryAsync();
                        await tx.CommitAsync();
                        latency.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                })
        );
        var seconds = stopwatch.Elapsed.TotalSeconds;
        return new(
            "PostgreSQL single-row insert transactions",
            Math.Round(seconds, 1),
            latency.Count,
            Math.Round(latency.Count / seconds, 1),
            latency.Summarize()
        );
    }
}
