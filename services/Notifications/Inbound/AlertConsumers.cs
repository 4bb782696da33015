using Cnh.Contracts;
using Cnh.Notifications.Alerts;
using Cnh.Notifications.Data;
using Cnh.ServiceDefaults;

namespace Cnh.Notifications.Inbound;

/// <summary>
/// Each consumer turns one kind of event into an alert candidate; the inbox row, the alert and its deliveries commit
/// together, so a repeated event raises nothing twice.
/// </summary>
public abstract class AlertConsumer<TEvent>(NotificationsDb db, AlertRaiser raiser) : InboxConsumer<NotificationsDb, TEvent>(db)
    where TEvent : class, IIntegrationEvent
{
    protected override async Task HandleAsync(TEvent message, CancellationToken ct)
    {
        if (ToAlert(message) is { } candidate)
            await raiser.RaiseAsync(candidate, ct);
    }

    protected abstract AlertCandidate? ToAlert(TEvent message);
}

public sealed class IndicatorStatusChangedConsumer(NotificationsDb db, AlertRaiser raiser)
    : AlertConsumer<IndicatorStatusChanged>(db, raiser)
{
    protected override AlertCandidate? ToAlert(IndicatorStatusChanged m) =>
        m.Transition switch
        {
            StatusTransitions.FellBehind => new(
                m.EventId,
                AlertKinds.FellBehind,
                m.IndicatorCode,
                m.Group,
                m.ResponsibleDepartment,
                m.CoordinatingDepartments,
                m.PreviousStatus,
                m.NewStatus,
                m.Score,
                m.Period,
                $"{m.IndicatorCode} fell behind: {m.PreviousStatus ?? "no score"} → {m.NewStatus} (period {m.Period})."
            ),
            StatusTransitions.Recovered => new(
                m.EventId,
                AlertKinds.Recovered,
                m.IndicatorCode,
                m.Group,
                m.ResponsibleDepartment,
                m.CoordinatingDepartments,
                m.PreviousStatus,
                m.NewStatus,
                m.Score,
                m.Period,
                $"{m.IndicatorCode} recovered: {m.PreviousStatus} → {m.NewStatus} (period {m.Period})."
            ),
            _ => null,
        };
}

public sealed class MilestoneEvaluatedConsumer(NotificationsDb db, AlertRaiser raiser) : AlertConsumer<MilestoneEvaluated>(db, raiser)
{
    protected override AlertCandidate? ToAlert(MilestoneEvaluated m) =>
        m.Met
            ? null
            : new(
                m.EventId,
                AlertKinds.MilestoneMissed,
                m.IndicatorCode,
                m.Group ?? "",
                m.ResponsibleDepartment ?? "",
                m.CoordinatingDepartments ?? [],
                null,
                "MilestoneMissed",
                null,
                m.Year.ToString(),
                $"{m.IndicatorCode} missed its {m.Year} milestone: {m.ObservedValue} against a target of {m.TargetValue}."
            );
}

public sealed class SubmissionOverdueConsumer(NotificationsDb db, AlertRaiser raiser) : AlertConsumer<SubmissionOverdue>(db, raiser)
{
    protected override AlertCandidate? ToAlert(SubmissionOverdue m) =>
        new(
            m.EventId,
            AlertKinds.SubmissionOverdue,
            m.IndicatorCode,
            "",
            m.Department,
            [],
            null,
            "Overdue",
            null,
            m.Period,
            $"{m.IndicatorCode} for {m.Period} was due on {m.DueDate:yyyy-MM-dd} and has not been submitted."
        );
}

public sealed class SubmissionDueSoonConsumer(NotificationsDb db, AlertRaiser raiser) : AlertConsumer<SubmissionDueSoon>(db, raiser)
{
    protected override AlertCandidate? ToAlert(SubmissionDueSoon m) =>
        new(
            m.EventId,
            AlertKinds.SubmissionDueSoon,
            m.IndicatorCode,
            "",
            m.Department,
            [],
            null,
            "DueSoon",
            null,
            m.Period,
            $"{m.IndicatorCode} for {m.Period} is due on {m.DueDate:yyyy-MM-dd} ({m.DaysLeft} days left) and has not been submitted."
        );
}

public sealed class SubmissionEscalatedConsumer(NotificationsDb db, AlertRaiser raiser) : AlertConsumer<SubmissionEscalated>(db, raiser)
{
    protected override AlertCandidate? ToAlert(SubmissionEscalated m) =>
        new(
            m.EventId,
            AlertKinds.SubmissionEscalated,
            m.IndicatorCode,
            "",
            m.Department,
            [],
            null,
            "Escalated",
            null,
            m.Period,
            $"{m.IndicatorCode} for {m.Period} from {m.Department} is still missing {m.DaysOverdue} days after its due date "
                + $"({m.DueDate:yyyy-MM-dd})."
        );
}

public sealed class SubmissionReturnedConsumer(NotificationsDb db, AlertRaiser raiser) : AlertConsumer<SubmissionReturned>(db, raiser)
{
    protected override AlertCandidate? ToAlert(SubmissionReturned m) =>
        new(
            m.EventId,
            AlertKinds.SubmissionReturned,
            m.IndicatorCode,
            "",
            m.Department,
            [],
            null,
            "Returned",
            null,
            m.Period,
            $"{m.IndicatorCode} for {m.Period} (revision {m.Revision}, {m.Value}) was returned by {m.ReturnedBy}: {m.Comment}"
        );
}

/// <summary>Tells the statistics office (<c>Notifications:StatisticsOffice</c>, a department code) a value waits for it.</summary>
public sealed class SubmissionApprovedConsumer(NotificationsDb db, AlertRaiser raiser, IConfiguration configuration)
    : AlertConsumer<SubmissionApproved>(db, raiser)
{
    protected override AlertCandidate? ToAlert(SubmissionApproved m) =>
        new(
            m.EventId,
            AlertKinds.ApprovalAwaited,
            m.IndicatorCode,
            "",
            configuration["Notifications:StatisticsOffice"] ?? "TK",
            [],
            null,
            "Approved",
            null,
            m.Period,
            $"{m.IndicatorCode} for {m.Period} (revision {m.Revision}, {m.Value}) from {m.Department} waits for the statistics "
                + $"office to accept it (approved by {m.ApprovedBy})."
        );
}

public sealed class SubmissionDueSoonConsumerDefinition : RetryingConsumerDefinition<SubmissionDueSoonConsumer>;

public sealed class SubmissionEscalatedConsumerDefinition : RetryingConsumerDefinition<SubmissionEscalatedConsumer>;

public sealed class SubmissionReturnedConsumerDefinition : RetryingConsumerDefinition<SubmissionReturnedConsumer>;

public sealed class SubmissionApprovedConsumerDefinition : RetryingConsumerDefinition<SubmissionApprovedConsumer>;

public sealed class IndicatorStatusChangedConsumerDefinition : RetryingConsumerDefinition<IndicatorStatusChangedConsumer>;

public sealed class MilestoneEvaluatedConsumerDefinition : RetryingConsumerDefinition<MilestoneEvaluatedConsumer>;

public sealed class SubmissionOverdueConsumerDefinition : RetryingConsumerDefinition<SubmissionOverdueConsumer>;
