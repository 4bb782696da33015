using System.Linq.Expressions;
using Cnh.Notifications.Data;

namespace Cnh.Notifications.Alerts;

/// <summary>
/// Who an alert goes to, by its kind's rule: leadership's subscriptions (no department) when the rule notifies
/// leadership, the responsible department's when it notifies the responsible one, and the coordinating departments'
/// when it notifies them. An expression, so that the database does the matching.
/// </summary>
public static class AlertAudience
{
    public static Expression<Func<Subscription, bool>> Of(AlertRule rule, AlertCandidate alert)
    {
        var (leadership, responsible, coordinating) = (rule.NotifyLeadership, rule.NotifyResponsible, rule.NotifyCoordinating);
        var department = alert.Department;
        var coordinatingDepartments = alert.CoordinatingDepartments.ToList();
        return s =>
            (s.Department == null && leadership)
            || (s.Department == department && responsible)
            || (s.Department != null && coordinating && coordinatingDepartments.Contains(s.Department));
    }
}
