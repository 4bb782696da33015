using Cnh.Notifications.Data;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Notifications.Api;

/// <summary><c>/api/alert-rules</c>: which kinds of alert are raised, how severe, and for whom (admins change them).</summary>
/// <summary>An alert rule as the API answers it.</summary>
public sealed record AlertRuleView(
    string Kind,
    bool Enabled,
    string Severity,
    bool NotifyResponsible,
    bool NotifyCoordinating,
    bool NotifyLeadership
)
{
    public static AlertRuleView From(AlertRule r) =>
        new(r.Kind, r.Enabled, r.Severity, r.NotifyResponsible, r.NotifyCoordinating, r.NotifyLeadership);
}

public static class RuleEndpoints
{
    public sealed record RuleRequest(
        bool? Enabled,
        string? Severity,
        bool? NotifyResponsible,
        bool? NotifyCoordinating,
        bool? NotifyLeadership
    );

    static readonly string[] Severities = ["info", "warning", "critical"];

    public static void MapRuleEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/alert-rules").WithTags("Alert rules");
        api.MapGet("/", async (NotificationsDb db, CancellationToken ct) =>
                TypedResults.Ok((await db.Rules.AsNoTracking().OrderBy(r => r.Kind).ToListAsync(ct)).Select(AlertRuleView.From))
            )
            .RequireAuthorization(AuthorizationPolicies.Reader);
        api.MapPut("/{kind}", async (string kind, HttpRequest http, NotificationsDb db, CancellationToken ct) =>
            {
                var rule = await db.Rules.FirstOrDefaultAsync(r => r.Kind == kind, ct);
                if (rule is null)
                    return Results.Problem(statusCode: 404, title: "No such rule", detail: $"Rules: {string.Join(", ", AlertKinds.All)}.");
                var body = await JsonBody.ReadAsync<RuleRequest>(http, ct);
                if (body.Error is not null)
                    return body.Error;
                var r = body.Value!;
                if (r.Severity is not null && !Severities.Contains(r.Severity))
                    return JsonBody.Invalid("severity", "info, warning or critical.");
                rule.Enabled = r.Enabled ?? rule.Enabled;
                rule.Severity = r.Severity ?? rule.Severity;
                rule.NotifyResponsible = r.NotifyResponsible ?? rule.NotifyResponsible;
                rule.NotifyCoordinating = r.NotifyCoordinating ?? rule.NotifyCoordinating;
                rule.NotifyLeadership = r.NotifyLeadership ?? rule.NotifyLeadership;
                db.Audit(
                    http.HttpContext.User,
                    "alert-rule.changed",
                    "alert-rule",
                    kind,
                    new
                    {
                        rule.Enabled,
                        rule.Severity,
                        rule.NotifyResponsible,
                        rule.NotifyCoordinating,
                        rule.NotifyLeadership,
                    }
                );
                await db.SaveChangesAsync(ct);
                return Results.Ok(AlertRuleView.From(rule));
            })
            .RequireAuthorization(AuthorizationPolicies.Admin);
    }
}
