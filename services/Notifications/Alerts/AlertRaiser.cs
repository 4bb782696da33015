using System.Diagnostics.Metrics;
using Cnh.Notifications.Data;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Notifications.Alerts;

public sealed record AlertCandidate(
    Guid SourceEventId,
    string Kind,
    string IndicatorCode,
    string Group,
    string Department,
    IReadOnlyList<string> CoordinatingDepartments,
    string? PreviousStatus,
    string NewStatus,
    double? Score,
    string? Period,
    string Message
);

/// <summary>
/// Applies the rule for the alert's kind and, in the caller's unit of work, stores the alert (the in-app feed) and one
/// delivery per matching subscription, before anything is sent.
/// </summary>
public sealed class AlertRaiser(NotificationsDb db, ILogger<AlertRaiser> logger)
{
    static readonly Counter<long> Raised = Telemetry.Meter.CreateCounter<long>("cnh.notifications.alerts_raised");

    public async Task RaiseAsync(AlertCandidate candidate, CancellationToken ct)
    {
        var rule = await db.Rules.AsNoTracking().FirstOrDefaultAsync(r => r.Kind == candidate.Kind, ct);
        if (rule is not { Enabled: true })
            return;

        var now = DateTimeOffset.UtcNow;
        var alert = new Alert
        {
            Id = Guid.CreateVersion7(),
            SourceEventId = candidate.SourceEventId,
            Kind = candidate.Kind,
            Severity = rule.Severity,
            IndicatorCode = candidate.IndicatorCode,
            Group = candidate.Group,
            Department = candidate.Department,
            CoordinatingDepartments = candidate.CoordinatingDepartments.ToList(),
            PreviousStatus = candidate.PreviousStatus,
            NewStatus = candidate.NewStatus,
            Score = candidate.Score,
            Period = candidate.Period,
            Message = candidate.Message,
            CreatedAt = now,
            TraceParent = System.Diagnostics.Activity.Current?.Id,
        };
        db.Alerts.Add(alert);

        var subscriptions = await db.Subscriptions.AsNoTracking().Where(AlertAudience.Of(rule, candidate)).ToListAsync(ct);
        foreach (var subscription in subscriptions)
        {
            db.Deliveries.Add(
                new Data.Delivery
                {
                    Id = Guid.CreateVersion7(),
                    AlertId = alert.Id,
                    SubscriptionId = subscription.Id,
                    Status = subscription.Digest ? DeliveryStatus.Digest : DeliveryStatus.Pending,
                    NextAttemptAt = now,
                    CreatedAt = now,
                }
            );
        }
        Raised.Add(1, new KeyValuePair<string, object?>("kind", candidate.Kind));
        logger.LogInformation(
            "Alert {Kind} for {Indicator} ({Department}): {Deliveries} deliveries",
            candidate.Kind,
            candidate.IndicatorCode,
            candidate.Department,
            subscriptions.Count
        );
    }
}
