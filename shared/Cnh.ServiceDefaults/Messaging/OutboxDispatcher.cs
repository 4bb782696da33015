using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cnh.ServiceDefaults;

/// <summary>
/// Publishes committed outbox rows with publisher confirms and marks them sent. Rows are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, so two instances of a service never publish the same row at once; a crash after
/// publishing but before marking publishes again, which the consumers' inbox absorbs.
/// </summary>
public sealed class OutboxDispatcher<TDb>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    OutboxOptions options,
    ILogger<OutboxDispatcher<TDb>> logger
) : BackgroundService
    where TDb : DbContext, IMessagingDbContext
{
    const int BatchSize = 200;
    static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);
    static readonly Counter<long> Published = Telemetry.Meter.CreateCounter<long>("cnh.outbox.published");
    static readonly Counter<long> Failed = Telemetry.Meter.CreateCounter<long>("cnh.outbox.publish_failed");
    static long _backlog;
    static readonly ObservableGauge<long> Backlog = Telemetry.Meter.CreateObservableGauge(
        "cnh.outbox.backlog",
        () => Interlocked.Read(ref _backlog),
        description: "Outbox messages not yet published"
    );
    DateTime _backlogCountedAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            int dispatched;
            try
            {
                dispatched = await DispatchBatchAsync(stoppingToken);
                failures = 0;
                await CountBacklogAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                logger.LogWarning(ex, "Outbox dispatch failed ({Failures} in a row); will retry", failures);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200 * Math.Pow(2, failures), 10_000)), stoppingToken);
                continue;
            }
            if (dispatched < BatchSize)
            {
                try
                {
                    if (
                        await signal.WaitAsync(TimeSpan.FromMilliseconds(Math.Max(10, options.PollMilliseconds)), stoppingToken)
                        && options.LingerMilliseconds > 0
                    )
                        await Task.Delay(options.LingerMilliseconds, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Refreshed every few seconds (a cheap count on the partial index of unsent rows), read by the gauge.</summary>
    async Task CountBacklogAsync(CancellationToken ct)
    {
        if (DateTime.UtcNow - _backlogCountedAt < TimeSpan.FromSeconds(5))
            return;
        _backlogCountedAt = DateTime.UtcNow;
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<TDb>();
            Interlocked.Exchange(ref _backlog, await db.OutboxMessages.LongCountAsync(m => m.SentAt == null, ct));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogDebug(ex, "Could not count the outbox backlog");
        }
    }

    async Task<int> DispatchBatchAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Marking rows sent need not wait for the disk: if a crash loses the mark, the rows are published again,
            // and every consumer ignores an event it has already processed.
            await db.Database.ExecuteSqlRawAsync("SET LOCAL synchronous_commit = off", ct);
            var batch = await db
                .OutboxMessages.FromSqlRaw(
                    $"SELECT * FROM outbox_messages WHERE sent_at IS NULL ORDER BY sequence LIMIT {BatchSize} FOR UPDATE SKIP LOCKED"
                )
                .ToListAsync(ct);
            if (batch.Count == 0)
                return 0;

            var results = await Task.WhenAll(batch.Select(m => PublishAsync(m, ct)));
            var now = DateTimeOffset.UtcNow;
            // The published rows are marked in one statement; the rare failures one by one, with their errors.
            var sent = batch.Where((_, i) => results[i] is null).Select(m => m.Sequence).ToArray();
            if (sent.Length > 0)
                await db.Database.ExecuteSqlAsync(
                    $"UPDATE outbox_messages SET sent_at = {now}, attempts = attempts + 1 WHERE sequence = ANY({sent})",
                    ct
                );
            for (var i = 0; i < batch.Count; i++)
                if (results[i] is { } error)
                {
                    batch[i].Attempts++;
                    batch[i].LastError = error[..Math.Min(error.Length, 2000)];
                }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);

            var failed = results.Count(r => r is not null);
            Published.Add(batch.Count - failed);
            if (failed > 0)
            {
                Failed.Add(failed);
                throw new InvalidOperationException($"{failed} of {batch.Count} outbox messages could not be published");
            }
            return batch.Count;
        });
    }

    /// <summary>Returns null when the broker confirmed the message, otherwise the error.</summary>
    async Task<string?> PublishAsync(OutboxMessage message, CancellationToken ct)
    {
        var type = MessagingModel.ResolveEventType(message.MessageType);
        if (type is null)
            return $"Unknown message type {message.MessageType}";

        // Continue the trace of the request or consumer that wrote the row, so the trace crosses the outbox.
        ActivityContext.TryParse(message.TraceParent, message.TraceState, out var parent);
        using var activity = Telemetry.Source.StartActivity($"outbox publish {type.Name}", ActivityKind.Internal, parent);
        try
        {
            var payload = JsonSerializer.Deserialize(message.Payload, type, MessagingModel.PayloadJson)!;
            // A confirm that never comes (a broker going away mid-publish) must not stall the dispatcher: give up and retry.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(PublishTimeout);
            await bus.Publish(payload, type, context => context.MessageId = message.MessageId, timeout.Token);
            return null;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return ex.Message;
        }
    }
}
