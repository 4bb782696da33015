using Cnh.Notifications.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cnh.Notifications.Delivery;

/// <summary>One send with its retries, every attempt recorded against the deliveries it carries.</summary>
public sealed class DeliverySender(IServiceScopeFactory scopes, IOptions<DeliveryOptions> options, DeliveryPipelines pipelines, ChannelSelector channels)
{
    /// <summary>Sends through the pipelines, recording each attempt against the given deliveries; returns the attempt count.</summary>
    public async Task<int> DeliverAsync(OutgoingMessage message, int attemptsSoFar, IReadOnlyList<Guid> recordOn, CancellationToken ct)
    {
        var channel = channels.For(message.Subscription);
        var endpoint = pipelines.Endpoint(channel.EndpointKey(message.Subscription));
        var attempts = attemptsSoFar;
        await pipelines.Retry(Math.Max(1, options.Value.MaxAttempts - attemptsSoFar)).ExecuteAsync(async token =>
        {
            var number = ++attempts;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await endpoint.ExecuteAsync(async inner => await channel.SendAsync(message, inner), token);
                await RecordAsync(recordOn, number, true, null, null, started);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                await RecordAsync(recordOn, number, false, (ex as DeliveryFailedException)?.StatusCode, ex.Message, started);
                throw;
            }
        }, ct);
        return attempts;
    }

    async Task RecordAsync(IReadOnlyList<Guid> deliveries, int number, bool succeeded, int? status, string? error, long started)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDb>();
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        foreach (var id in deliveries)
            db.Attempts.Add(new DeliveryAttempt
            {
                DeliveryId = id, Number = number, At = DateTimeOffset.UtcNow, Succeeded = succeeded, StatusCode = status,
                Error = error?[..Math.Min(error.Length, 1000)], DurationMs = elapsed,
            });
        await db.SaveChangesAsync(CancellationToken.None);
        await db.Deliveries.Where(d => deliveries.Contains(d.Id)).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.Attempts, number).SetProperty(d => d.LastError, error), CancellationToken.None);
        DeliveryMetrics.Attempts.Add(1, new KeyValuePair<string, object?>("succeeded", succeeded));
    }

}
