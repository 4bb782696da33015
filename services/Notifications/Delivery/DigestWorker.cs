using Cnh.Notifications.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cnh.Notifications.Delivery;

/// <summary>
/// For digest subscriptions: once per interval, one message with every alert collected since the last one. A
/// subscription's turn is claimed by moving its last-digest time forward (one instance wins); a failed send gives the
/// turn back, so the alerts wait for the next round instead of being lost.
/// </summary>
public sealed class DigestWorker(
    IServiceScopeFactory scopes,
    IOptions<DeliveryOptions> options,
    DeliverySender sender,
    ILogger<DigestWorker> logger
) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.DigestIntervalSeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(interval.TotalSeconds / 4, 1, 60)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SendDueDigestsAsync(interval, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Digest round failed; will retry");
            }
        }
    }

    async Task SendDueDigestsAsync(TimeSpan interval, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDb>();
        var cutoff = DateTimeOffset.UtcNow - interval;
        var due = await db
            .Subscriptions.AsNoTracking()
            .Where(s => s.Digest && (s.LastDigestAt == null || s.LastDigestAt <= cutoff))
            .ToListAsync(ct);
        foreach (var subscription in due)
        {
            var waiting = await db
                .Deliveries.AsNoTracking()
                .Where(d => d.SubscriptionId == subscription.Id && d.Status == DeliveryStatus.Digest)
                .OrderBy(d => d.CreatedAt)
                .ToListAsync(ct);
            if (waiting.Count == 0)
                continue;
            var now = DateTimeOffset.UtcNow;
            var claimed = await db
                .Subscriptions.Where(s => s.Id == subscription.Id && s.LastDigestAt == subscription.LastDigestAt)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastDigestAt, now), ct);
            if (claimed == 0)
                continue;

            var ids = waiting.Select(d => d.Id).ToList();
            var alertIds = waiting.Where(d => d.AlertId is not null).Select(d => d.AlertId!.Value).ToList();
            var alerts = await db.Alerts.AsNoTracking().Where(a => alertIds.Contains(a.Id)).OrderBy(a => a.CreatedAt).ToListAsync(ct);
            using var activity = DeliveryTracing.Start("deliver digest", alerts);
            try
            {
                await sender.DeliverAsync(new OutgoingMessage(ids[0], subscription, alerts), 0, ids, ct);
                await db
                    .Deliveries.Where(d => ids.Contains(d.Id))
                    .ExecuteUpdateAsync(
                        u => u.SetProperty(d => d.Status, DeliveryStatus.Delivered).SetProperty(d => d.DeliveredAt, DateTimeOffset.UtcNow),
                        ct
                    );
                logger.LogInformation("Digest of {Count} alerts sent to subscription {Subscription}", alerts.Count, subscription.Id);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await db
                    .Subscriptions.Where(s => s.Id == subscription.Id)
                    .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastDigestAt, subscription.LastDigestAt), CancellationToken.None);
                logger.LogWarning(
                    "Digest to subscription {Subscription} failed: {Error}; the alerts wait for the next round",
                    subscription.Id,
                    ex.Message
                );
            }
        }
    }
}
