using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Cnh.Bench;

/// <summary>
/// Watches <c>IndicatorScored</c> on the platform's own exchange (a temporary queue of the benchmark's, bound next to
/// the services' queues) and notes when each submission it credits was scored.
/// </summary>
public sealed class ScoredWatcher : IAsyncDisposable
{
    const string Exchange = "Cnh.Contracts:IndicatorScored";
    readonly ConcurrentDictionary<Guid, long> _scoredAt = new();
    IConnection? _connection;
    IChannel? _channel;

    public static async Task<ScoredWatcher> StartAsync(ConnectionFactory factory)
    {
        var watcher = new ScoredWatcher();
        watcher._connection = await factory.CreateConnectionAsync("cnh-bench-watcher");
        watcher._channel = await watcher._connection.CreateChannelAsync();
        await watcher._channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true);
        var queue = await watcher._channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        await watcher._channel.QueueBindAsync(queue.QueueName, Exchange, "");
        var consumer = new AsyncEventingBasicConsumer(watcher._channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var now = Stopwatch.GetTimestamp();
            using var envelope = JsonDocument.Parse(delivery.Body);
            var message = envelope.RootElement.GetProperty("message");
            if (message.TryGetProperty("triggeredBySubmissionIds", out var ids) && ids.ValueKind == JsonValueKind.Array)
                foreach (var id in ids.EnumerateArray())
                    watcher._scoredAt.TryAdd(id.GetGuid(), now);
            else if (message.TryGetProperty("triggeredBySubmissionId", out var one) && one.ValueKind == JsonValueKind.String)
                watcher._scoredAt.TryAdd(one.GetGuid(), now);
            return Task.CompletedTask;
        };
        await watcher._channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return watcher;
    }

    public bool TryGetScoredAt(Guid submission, out long timestamp) => _scoredAt.TryGetValue(submission, out timestamp);

    /// <summary>Waits until every submission is scored or the time is up; returns how many were.</summary>
    public async Task<int> WaitAsync(IReadOnlyCollection<Guid> submissions, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var scored = submissions.Count(_scoredAt.ContainsKey);
            if (scored == submissions.Count || Stopwatch.GetTimestamp() > deadline)
                return scored;
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
            await _channel.DisposeAsync();
        if (_connection is not null)
            await _connection.DisposeAsync();
    }
}
