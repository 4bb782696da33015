using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cnh.ServiceDefaults;

public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "cnh";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";
    /// <summary>A file holding the password instead (docker-compose's per-service secret); read at start.</summary>
    public string? PasswordFile { get; set; }
    /// <summary>
    /// Messages a service handles at once per queue. MassTransit's default follows the core count (a handful on a small
    /// machine); consumers here mostly wait on commits, and PostgreSQL commits many waiting transactions with one flush.
    /// 1 processes a queue in order.
    /// </summary>
    public int ConcurrentMessageLimit { get; set; } = 16;
    /// <summary>Redeliveries of a failing message, with exponential back-off between these bounds, before its _error queue.</summary>
    public int RetryLimit { get; set; } = 8;
    public int RetryMinMilliseconds { get; set; } = 100;
    public int RetryMaxMilliseconds { get; set; } = 10_000;
}

public static class Bus
{
    /// <summary>
    /// MassTransit on RabbitMQ: queues named "{service}-{consumer}" (each service gets its own copy of an event,
    /// instances of one service compete), quorum queues, publisher confirms, retry then the _error queue, and the
    /// outbox dispatcher for this service's DbContext.
    /// </summary>
    public static void AddServiceBus<TDb>(this IHostApplicationBuilder builder, string serviceName,
        Action<IBusRegistrationConfigurator> consumers) where TDb : DbContext, IMessagingDbContext
    {
        var options = builder.Configuration.GetSection("RabbitMq").Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, false));
            // MassTransit 8.4 reports usage to masstransit.io by default; these services talk to no one outside.
            x.DisableUsageTelemetry();
            consumers(x);
            x.AddConfigureEndpointsCallback((_, _, cfg) =>
            {
                if (cfg is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.SetQuorumQueue();
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(options.Host, options.Port, options.VirtualHost, h =>
                {
                    h.Username(options.Username);
                    h.Password(options.PasswordFile is { Length: > 0 } file ? File.ReadAllText(file).Trim() : options.Password);
                    h.PublisherConfirmation = true;
                });
                cfg.ConcurrentMessageLimit = Math.Max(1, options.ConcurrentMessageLimit);
                cfg.PrefetchCount = (ushort)Math.Max(1, options.ConcurrentMessageLimit);
                cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddHostedService<OutboxDispatcher<TDb>>();
    }
}

/// <summary>
/// Retry with exponential back-off for every consumer (long enough to ride out a database or broker restart), then
/// MassTransit moves the message to the consumer's _error queue, from where an operator replays it (./cnh errors).
/// </summary>
public abstract class RetryingConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        var options = context.GetRequiredService<RabbitMqOptions>();
        endpointConfigurator.UseMessageRetry(r => r.Exponential(options.RetryLimit, TimeSpan.FromMilliseconds(options.RetryMinMilliseconds),
            TimeSpan.FromMilliseconds(options.RetryMaxMilliseconds), TimeSpan.FromMilliseconds(options.RetryMinMilliseconds)));
    }
}
