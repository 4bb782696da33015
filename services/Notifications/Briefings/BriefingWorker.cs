using Cnh.Notifications.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cnh.Notifications.Briefings;

/// <summary>
/// Sends each month's briefing once: every check, if the period's due time has passed (within its catch-up time) and
/// the period has no briefing yet, it makes one. The period is unique in the database, so several instances and a
/// restart around the due time still make exactly one.
/// </summary>
public sealed class BriefingWorker(
    IServiceScopeFactory scopes,
    IOptions<BriefingOptions> options,
    TimeProvider clock,
    ILogger<BriefingWorker> logger
) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
            return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.CheckSeconds)), clock);
        do
        {
            try
            {
                await SendIfDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not make the monthly briefing; trying again at the next check");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    async Task SendIfDueAsync(CancellationToken ct)
    {
        if (BriefingSchedule.PeriodToSend(clock.GetUtcNow(), options.Value) is not { } period)
            return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDb>();
        if (await db.Briefings.AnyAsync(b => b.Period == period, ct))
            return;
        var mailer = scope.ServiceProvider.GetRequiredService<BriefingMailer>();
        var briefing = await mailer.QueueAsync(await mailer.DraftAsync(period, ct), "schedule", ct);
        if (briefing is not null)
            logger.LogInformation(
                "Briefing of {Period} queued for {Recipients} leadership e-mail subscriptions",
                period,
                briefing.Recipients
            );
    }
}
