using Cnh.Notifications.Data;
using Cnh.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Notifications.Alerts;

/// <summary>An alert as the feed answers it.</summary>
public sealed record AlertView(
    Guid Id,
    Guid SourceEventId,
    string Kind,
    string Severity,
    string IndicatorCode,
    string Group,
    string Department,
    IReadOnlyList<string> CoordinatingDepartments,
    string? PreviousStatus,
    string NewStatus,
    double? Score,
    string? Period,
    string Message,
    DateTimeOffset CreatedAt,
    string? TraceParent
)
{
    public static AlertView From(Alert a) =>
        new(
            a.Id,
            a.SourceEventId,
            a.Kind,
            a.Severity,
            a.IndicatorCode,
            a.Group,
            a.Department,
            a.CoordinatingDepartments,
            a.PreviousStatus,
            a.NewStatus,
            a.Score,
            a.Period,
            a.Message,
            a.CreatedAt,
            a.TraceParent
        );
}

public static class FeedEndpoints
{
    /// <summary><c>GET /api/notifications</c>: newest first; a department sees alerts of indicators it owns or coordinates.</summary>
    public static void MapFeedEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet(
                "/api/notifications",
                async Task<Results<Ok<IEnumerable<AlertView>>, ProblemHttpResult>> (
                    HttpContext http,
                    NotificationsDb db,
                    string? department,
                    string? indicator,
                    DateTimeOffset? since,
                    int? limit,
                    CancellationToken ct
                ) =>
                {
                    if (!http.User.TryScopeToDepartment(department, out var scope))
                        return TypedResults.Problem(
                            statusCode: 403,
                            title: "Not your department",
                            detail: $"You may read department {http.User.Department()} only."
                        );
                    var query = db.Alerts.AsNoTracking();
                    if (scope is not null)
                        query = query.Where(a => a.Department == scope || a.CoordinatingDepartments.Contains(scope));
                    if (indicator is not null)
                        query = query.Where(a => a.IndicatorCode == indicator);
                    // PostgreSQL takes instants in UTC; 2025-01-01T00:00:00+07:00 is the same instant.
                    if (since is { } from)
                    {
                        var utc = from.ToUniversalTime();
                        query = query.Where(a => a.CreatedAt >= utc);
                    }
                    var alerts = await query.OrderByDescending(a => a.CreatedAt).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToListAsync(ct);
                    return TypedResults.Ok(alerts.Select(AlertView.From));
                }
            )
            .WithTags("Notifications")
            .RequireAuthorization(AuthorizationPolicies.Reader);
}
