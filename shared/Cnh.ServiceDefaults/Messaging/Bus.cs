using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cnh.ServiceDefaults;

public static class Bus
{
    /// <summary>
    /// MassTransit on RabbitMQ: queues named "{service}-{consumer}" (each service gets its own copy of an event,
    /// instances of one service compete), quorum queues, publisher confirms, retry then the _error queue, and the
    /// outbox dispatcher for this service's DbContext, and the retention of sent outbox rows and processed event ids.
    /// </summary>
    public static void AddServiceBus<TDb>(
        this IHostApplicationBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator> consumers
    )
        where TDb : DbContext, IMessagingDbContext
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
            x.AddConfigureEndpointsCallback(
                (_, _, cfg) =>
                {
                    if (cfg is IRabbitMqReceiveEndpointConfigurator rabbit)
                        rabbit.SetQuorumQueue();
                }
            );
            x.UsingRabbitMq(
                (context, cfg) =>
                {
                    cfg.Host(options.Host, options.Port, options.VirtualHost, h =>
                    {
                        h.Username(options.Username);
                        h.Password(options.PasswordFile is { Length: > 0 } file ? File.ReadAllText(file).Trim() : options.Password);
                        h.PublisherConfirmation = true;
                        // A cluster: connect to whichever node answers, and move to another when it goes.
                        if (options.ClusterNodes is { Length: > 0 } nodes)
                            h.UseCluster(c =>
                            {
                                foreach (
                                    var node in nodes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                                )
                                    c.Node(node);
                            });
                    });
                    cfg.ConcurrentMessageLimit = Math.Max(1, options.ConcurrentMessageLimit);
                    cfg.PrefetchCount = (ushort)Math.Max(1, options.ConcurrentMessageLimit);
                    cfg.ConfigureEndpoints(context);
                }
            );
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(builder.Configuration.GetSection("Outbox").Get<OutboxOptions>() ?? new OutboxOptions());
        builder.Services.AddHostedService<OutboxDispatcher<TDb>>();
        builder.AddRetention<TDb>();
    }
}
