using Cnh.Notifications.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cnh.Notifications.Delivery;

/// <summary>
/// Claims due deliveries (FOR UPDATE SKIP LOCKED, with a lease so a crashed worker's deliveries are taken over) — at
/// most one per subscription and <c>MaxConcurrentPerDepartment</c> per department at a time, so one department's
/// failing or slow receivers cannot take every slot — and makes one attempt each. A failed attempt frees its slot: the
/// delivery is Pending again with its next attempt after a back-off, until the last attempt leaves it Failed (visible,
/// and re-triggerable through the API).
/// </summary>
public sealed class DeliveryWorker(
    IServiceScopeFactory scopes,
    IOptions<DeliveryOptions> options,
    DeliverySender sender,
    ILogger<DeliveryWorker> logger
) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var slots = new SemaphoreSlim(options.Value.BatchSize);
        while (!stoppingToken.IsCancellationRequested)
        {
            List<Guid> claimed = [];
            try
            {
                if (slots.CurrentCount > 0)
                    claimed = await ClaimAsync(slots.CurrentCount, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not claim deliveries; will retry");
            }
            foreach (var id in claimed)
            {
                await slots.WaitAsync(stoppingToken);
                _ = Task.Run(
                    async () =>
                    {
                        try
                        {
                            await SendAsync(id, stoppingToken);
                        }
                        finally
                        {
                            slots.Release();
                        }
                    },
                    CancellationToken.None
                );
            }
            try
            {
                await Task.Delay(options.Value.PollMilliseconds, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        // Let in-flight sends finish their current step and hand their deliveries back.
        for (var i = 0; i < options.Value.BatchSize; i++)
            await slots.WaitAsync(TimeSpan.FromSeconds(10));
    }

    async Task<List<Guid>> ClaimAsync(int limit, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDb>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var due = await db
            .Deliveries.FromSql(
                $"""
                SELECT * FROM deliveries
                WHERE (status = 'Pending' AND next_attempt_at <= now()) OR (status = 'Sending' AND lease_until < now())
                ORDER BY next_attempt_at LIMIT {limit * 5} FOR UPDATE SKIP LOCKED
                """
            )
            .ToListAsync(ct);
        // What each subscription and department has in flight now (other workers' claims included).
        var subscriptionIds = due.Select(d => d.SubscriptionId).Distinct().ToList();
        var departments = await db
            .Subscriptions.AsNoTracking()
            .Where(s => subscriptionIds.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => s.Department ?? "", ct);
        var busy = await (
            from d in db.Deliveries.AsNoTracking()
            join s in db.Subscriptions.AsNoTracking() on d.SubscriptionId equals s.Id
            where d.Status == DeliveryStatus.Sending && d.LeaseUntil >= DateTimeOffset.UtcNow
            select new { d.SubscriptionId, Department = s.Department ?? "" }
        ).ToListAsync(ct);
        var busySubscriptions = busy.Select(b => b.SubscriptionId).ToHashSet();
        var perDepartment = busy.GroupBy(b => b.Department).ToDictionary(g => g.Key, g => g.Count());
        var claimed = new List<Data.Delivery>();
        foreach (var d in due)
        {
            if (claimed.Count == limit)
                break;
            var department = departments.GetValueOrDefault(d.SubscriptionId, "");
            if (
                !busySubscriptions.Add(d.SubscriptionId)
                || perDepartment.GetValueOrDefault(department) >= options.Value.MaxConcurrentPerDepartment
            )
                continue;
            perDepartment[department] = perDepartment.GetValueOrDefault(department) + 1;
            d.Status = DeliveryStatus.Sending;
            d.LeaseUntil = DateTimeOffset.UtcNow + options.Value.Lease;
            claimed.Add(d);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return claimed.Select(d => d.Id).ToList();
    }

    async Task SendAsync(Guid id, CancellationToken stoppingToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDb>();
        var delivery = await db.Deliveries.AsNoTracking().FirstAsync(d => d.Id == id, CancellationToken.None);
        var subscription = await db
            .Subscriptions.AsNoTracking()
            .FirstOrDefaultAsync(s => s.Id == delivery.SubscriptionId, CancellationToken.None);
        var alert = delivery.AlertId is { } alertId
            ? await db.Alerts.AsNoTracking().FirstAsync(a => a.Id == alertId, CancellationToken.None)
            : null;
        var briefing = delivery.BriefingId is { } briefingId
            ? await db.Briefings.AsNoTracking().FirstAsync(b => b.Id == briefingId, CancellationToken.None)
            : null;
        Alert[] alerts = alert is null ? [] : [alert];
        if (subscription is null)
        {
            await FinishAsync(id, DeliveryStatus.Failed, "The subscription was deleted.");
            return;
        }

        var attempts = delivery.Attempts;
        using var activity = DeliveryTracing.Start($"deliver {alert?.Kind ?? "Briefing"}", alerts);
        activity?.SetTag("cnh.delivery.id", id.ToString());
        activity?.SetTag("cnh.delivery.channel", subscription.Channel);
        try
        {
            attempts = await sender.DeliverAsync(new OutgoingMessage(id, subscription, alerts, briefing), attempts, [id], stoppingToken);
            await FinishAsync(id, DeliveryStatus.Delivered, null);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: hand it back so the next start resumes it at once instead of after the lease.
            await db
                .Deliveries.Where(d => d.Id == id)
                .ExecuteUpdateAsync(
                    u => u.SetProperty(d => d.Status, DeliveryStatus.Pending).SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null),
                    CancellationToken.None
                );
        }
        catch (Exception ex) when (delivery.Attempts + 1 < options.Value.MaxAttempts)
        {
            // The slot is free again at once; the next attempt waits in the database, not in this worker.
            await db
                .Deliveries.Where(d => d.Id == id)
                .ExecuteUpdateAsync(
                    u =>
                        u.SetProperty(d => d.Status, DeliveryStatus.Pending)
                            .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null)
                            .SetProperty(d => d.NextAttemptAt, DateTimeOffset.UtcNow + options.Value.Backoff(delivery.Attempts + 1))
                            .SetProperty(d => d.LastError, DeliveryAttempts.Describe(ex)),
                    CancellationToken.None
                );
        }
        catch (Exception ex)
        {
            await FinishAsync(id, DeliveryStatus.Failed, DeliveryAttempts.Describe(ex));
            logger.LogWarning(
                "Delivery {Delivery} to {Channel} failed after its last attempt: {Error} {Detail}",
                id,
                subscription.Channel,
                ex.Message,
                ex.InnerException?.Message
            );
        }
    }

    async Task FinishAsync(Guid id, DeliveryStatus status, string? error)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDb>();
        await db
            .Deliveries.Where(d => d.Id == id)
            .ExecuteUpdateAsync(
                u =>
                    u.SetProperty(d => d.Status, status)
                        .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null)
                        .SetProperty(d => d.DeliveredAt, status == DeliveryStatus.Delivered ? DateTimeOffset.UtcNow : null)
                        .SetProperty(d => d.LastError, error),
                CancellationToken.None
            );
        (status == DeliveryStatus.Delivered ? DeliveryMetrics.Delivered : DeliveryMetrics.Failed).Add(1);
    }
}

public static class DeliveryMetrics
{
    public static readonly System.Diagnostics.Metrics.Counter<long> Attempts = Cnh.ServiceDefaults.Telemetry.Meter.CreateCounter<long>(
        "cnh.notifications.delivery_attempts"
    );
    public static readonly System.Diagnostics.Metrics.Counter<long> Delivered = Cnh.ServiceDefaults.Telemetry.Meter.CreateCounter<long>(
        "cnh.notifications.deliveries_sent"
    );
    public static readonly System.Diagnostics.Metrics.Counter<long> Failed = Cnh.ServiceDefaults.Telemetry.Meter.CreateCounter<long>(
        "cnh.notifications.deliveries_failed"
    );
}
