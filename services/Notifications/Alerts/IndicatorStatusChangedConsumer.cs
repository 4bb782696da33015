using System.Diagnostics.Metrics;
using Cnh.Contracts;
using Cnh.Notifications.Data;
using Cnh.ServiceDefaults;
using MassTransit;

namespace Cnh.Notifications.Alerts;

/// <summary>Raises a feed alert when an indicator falls behind or recovers; once per event.</summary>
public sealed class IndicatorStatusChangedConsumer(NotificationsDb db, ILogger<IndicatorStatusChangedConsumer> logger) : IConsumer<IndicatorStatusChanged>
{
    static readonly Counter<long> Raised = Telemetry.Meter.CreateCounter<long>("cnh.notifications.alerts_raised");

    public async Task Consume(ConsumeContext<IndicatorStatusChanged> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.TryBeginProcessingAsync(nameof(IndicatorStatusChangedConsumer), m.EventId, ct)) return;
        if (m.Transition is StatusTransitions.FellBehind or StatusTransitions.Recovered)
        {
            var fell = m.Transition == StatusTransitions.FellBehind;
            db.Alerts.Add(new Alert
            {
                Id = Guid.CreateVersion7(),
                SourceEventId = m.EventId,
                Kind = m.Transition,
                Severity = fell ? (m.NewStatus == IndicatorStatuses.Deteriorating ? "critical" : "warning") : "info",
                IndicatorCode = m.IndicatorCode,
                Group = m.Group,
                Department = m.ResponsibleDepartment,
                CoordinatingDepartments = m.CoordinatingDepartments.ToList(),
                PreviousStatus = m.PreviousStatus,
                NewStatus = m.NewStatus,
                Score = m.Score,
                Period = m.Period,
                Message = fell
                    ? $"{m.IndicatorCode} fell behind: {m.PreviousStatus ?? "no score"} → {m.NewStatus} (period {m.Period})."
                    : $"{m.IndicatorCode} recovered: {m.PreviousStatus} → {m.NewStatus} (period {m.Period}).",
                CreatedAt = DateTimeOffset.UtcNow,
            });
            Raised.Add(1, new KeyValuePair<string, object?>("kind", m.Transition));
            logger.LogInformation("Alert {Kind} for {Indicator}: {Previous} -> {New}", m.Transition, m.IndicatorCode, m.PreviousStatus, m.NewStatus);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}

public sealed class IndicatorStatusChangedConsumerDefinition : RetryingConsumerDefinition<IndicatorStatusChangedConsumer>;
