using System.Net.Sockets;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cnh.ServiceDefaults;

/// <summary>
/// MassTransit 8 can leave receive endpoints faulted, and sends faulting, after a broker restart until the process is
/// recycled (MassTransit issue #5942; restarting the bus object in-process does not clear it). When the bus stays
/// unhealthy, or publishing keeps failing, although the broker accepts connections again, this stops the process with
/// exit code 75 so its supervisor (./cnh, docker compose, systemd, Kubernetes) starts a fresh one. Nothing is lost:
/// unacknowledged messages wait in their durable queues and unsent events in the outbox.
/// </summary>
public sealed class BusWatchdog(IBusControl bus, RabbitMqOptions options, PublishHealth publishing, IHostApplicationLifetime lifetime,
    ILogger<BusWatchdog> logger) : BackgroundService
{
    public const int ExitCode = 75;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTime? unhealthySince = null;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            // The defect can also leave sends faulting while the bus reports itself healthy, so a streak of failed
            // publishes (from the outbox) counts as unhealthy too.
            var health = bus.CheckHealth();
            var failingSince = publishing.FailingSince;
            if (health.Status == BusHealthStatus.Healthy && failingSince is null) { unhealthySince = null; continue; }
            unhealthySince ??= failingSince ?? DateTime.UtcNow;
            if (DateTime.UtcNow - unhealthySince < TimeSpan.FromSeconds(options.UnhealthyRestartSeconds) || !await BrokerReachableAsync(stoppingToken))
                continue;

            logger.LogCritical("The bus has been {Status} (publishing failing since {FailingSince}) for {Seconds:F0} s while the broker is " +
                "reachable ({Description}); stopping so that a fresh process takes over", health.Status, failingSince,
                (DateTime.UtcNow - unhealthySince.Value).TotalSeconds, health.Description);
            Environment.ExitCode = ExitCode;
            lifetime.StopApplication();
            return;
        }
    }

    async Task<bool> BrokerReachableAsync(CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(options.Host, options.Port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }
}

/// <summary>Whether publishing works: the outbox reports each outcome, the watchdog reads how long it has been failing.</summary>
public sealed class PublishHealth
{
    long _failingSinceTicks;

    public DateTime? FailingSince => Interlocked.Read(ref _failingSinceTicks) is var t and > 0 ? new DateTime(t, DateTimeKind.Utc) : null;

    public void Succeeded() => Interlocked.Exchange(ref _failingSinceTicks, 0);

    public void Failed() => Interlocked.CompareExchange(ref _failingSinceTicks, DateTime.UtcNow.Ticks, 0);

}
