using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cnh.ServiceDefaults;

public static class Retention
{
    /// <summary>
    /// The retention worker for <typeparamref name="TDb"/>, with the rules every service with a bus has: sent outbox rows
    /// and processed event ids. A service adds its own with <see cref="AddRetentionRule"/>.
    /// </summary>
    public static void AddRetention<TDb>(this IHostApplicationBuilder builder)
        where TDb : DbContext
    {
        var options = builder.Configuration.GetSection("Retention").Get<RetentionOptions>() ?? new RetentionOptions();
        builder.Services.TryAddSingleton(options);
        builder.Services.AddRetentionRule(new("outbox_messages", "sent_at", TimeSpan.FromDays(options.SentEventsDays)));
        builder.Services.AddRetentionRule(new("processed_messages", "processed_at", TimeSpan.FromDays(options.ProcessedEventsDays)));
        builder.Services.AddSingleton(sp => new RetentionWorker<TDb>(
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetServices<RetentionRule>(),
            options,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            TimeProvider.System,
            sp.GetRequiredService<ILogger<RetentionWorker<TDb>>>()
        ));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RetentionWorker<TDb>>());
    }

    public static IServiceCollection AddRetentionRule(this IServiceCollection services, RetentionRule rule) => services.AddSingleton(rule);
}
