using Cnh.Notifications.Data;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Notifications.Alerts;

public static class FeedEndpoints
{
    /// <summary><c>GET /api/notifications</c>: newest first; a department sees alerts of indicators it owns or coordinates.</summary>
    public static void MapFeedEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/notifications", async (HttpContext http, NotificationsDb db, string? department, string? indicator,
            DateTimeOffset? since, int? limit, CancellationToken ct) =>
        {
            if (!http.User.TryScopeToDepartment(department, out var scope)) return http.User.NotYourDepartment();
            var query = db.Alerts.AsNoTracking();
            if (scope is not null) query = query.Where(a => a.Department == scope || a.CoordinatingDepartments.Contains(scope));
            if (indicator is not null) query = query.Where(a => a.IndicatorCode == indicator);
            // PostgreSQL takes instants in UTC; 2025-01-01T00:00:00+07:00 is the same instant.
            if (since is { } from) { var utc = from.ToUniversalTime(); query = query.Where(a => a.CreatedAt >= utc); }
            var alerts = await query.OrderByDescending(a => a.CreatedAt).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToListAsync(ct);
            return Results.Ok(alerts);
        }).WithTags("Notifications").RequireAuthorization(AuthorizationPolicies.Reader);
}
