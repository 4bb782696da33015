namespace Cnh.Notifications.Delivery;

/// <summary>One attempt through the channel's resilience pipeline, recorded against the deliveries it carries.</summary>
public sealed class DeliverySender(IServiceScopeFactory scopes, ChannelSelector channels, ILogger<DeliverySender> logger)
{
    /// <summary>Sends once, recording the attempt against the given deliveries; returns the attempt count, throws if it failed.</summary>
    public async Task<int> DeliverAsync(OutgoingMessage message, int attemptsSoFar, IReadOnlyList<Guid> recordOn, CancellationToken ct)
    {
        var attempts = new DeliveryAttempts(recordOn, attemptsSoFar, scopes, ct, logger);
        await channels.For(message.Subscription).SendAsync(message, attempts, ct);
        return attempts.Count;
    }
}
