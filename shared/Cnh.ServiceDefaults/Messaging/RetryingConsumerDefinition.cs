using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Cnh.ServiceDefaults;

/// <summary>
/// Retry with exponential back-off for every consumer (long enough to ride out a database or broker restart), then
/// MassTransit moves the message to the consumer's _error queue, from where an operator replays it (./cnh errors).
/// </summary>
public abstract class RetryingConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    /// <summary>Messages of this consumer handled (and fetched) at once; null keeps <c>RabbitMq:ConcurrentMessageLimit</c>.</summary>
    protected virtual int? ConcurrentMessages => null;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context
    )
    {
        if (ConcurrentMessages is { } configured)
        {
            var concurrency = Math.Max(1, configured);
            endpointConfigurator.ConcurrentMessageLimit = concurrency;
            if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
                rabbit.PrefetchCount = concurrency;
        }
        var options = context.GetRequiredService<RabbitMqOptions>();
        endpointConfigurator.UseMessageRetry(r =>
            r.Exponential(
                options.RetryLimit,
                TimeSpan.FromMilliseconds(options.RetryMinMilliseconds),
                TimeSpan.FromMilliseconds(options.RetryMaxMilliseconds),
                TimeSpan.FromMilliseconds(options.RetryMinMilliseconds)
            )
        );
    }
}
