using Microsoft.Extensions.Options;

namespace Cnh.Notifications.Delivery;

/// <summary>One send with its retries (the channel's resilience pipeline), every attempt recorded against the deliveries it carries.</summary>
public sealed class DeliverySender(IServiceScopeFactory scopes, IOptions<DeliveryOptions> options, ChannelSelector channels, ILogger<DeliverySender> logger)
{
    /// <summary>Sends, recording each attempt against the given deliveries; returns the attempt count, throws after the last failure.</summary>
    public async Task<int> DeliverAsync(OutgoingMessage message, int attemptsSoFar, IReadOnlyList<Guid> recordOn, CancellationToken ct)
    {
        var attempts = new DeliveryAttempts(recordOn, attemptsSoFar, Math.Max(attemptsSoFar + 1, options.Value.MaxAttempts), scopes, ct, logger);
        await channels.For(message.Subscription).SendAsync(message, attempts, ct);
        return attempts.Count;
    }
}
