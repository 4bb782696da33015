using Cnh.Notifications.Data;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Notifications.Api;

/// <summary>One delivery as listed; a briefing's has no alert, and its kind is "Briefing".</summary>
public sealed record DeliveryView(
    Guid Id,
    Guid? AlertId,
    Guid? BriefingId,
    Guid SubscriptionId,
    string? IndicatorCode,
    string Kind,
    string Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt
);

/// <summary><c>/api/deliveries</c>: every delivery and attempt is visible; a Failed one can be sent again.</summary>
/// <summary>One attempt at a delivery, as the API answers it (the error as the department may read it).</summary>
public sealed record AttemptView(
    long Id,
    Guid DeliveryId,
    int Number,
    DateTimeOffset At,
    bool Succeeded,
    int? StatusCode,
    string? Error,
    double DurationMs
);

/// <summary>One delivery with each of its attempts.</summary>
public sealed record DeliveryDetail(DeliveryView Delivery, IReadOnlyList<AttemptView> Attempts);

public static class DeliveryEndpoints
{
    public static void MapDeliveryEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/deliveries").WithTags("Deliveries").RequireAuthorization(AuthorizationPolicies.Submitter);
        api.MapGet(
                "/",
                async (HttpContext http, NotificationsDb db, string? status, Guid? subscription, int? limit, CancellationToken ct) =>
                {
                    var query = Visible(http, db);
                    if (status is not null)
                    {
                        if (!Enum.TryParse<DeliveryStatus>(status, ignoreCase: true, out var s))
                            return JsonBody.Invalid("status", $"One of {string.Join(", ", Enum.GetNames<DeliveryStatus>())}.", 400);
                        query = query.Where(d => d.Status == s);
                    }
                    if (subscription is not null)
                        query = query.Where(d => d.SubscriptionId == subscription);
                    return Results.Ok(
                        await Views(query.OrderByDescending(d => d.CreatedAt).Take(Math.Clamp(limit ?? 100, 1, 1000)), db).ToListAsync(ct)
                    );
                }
            )
            .Produces<List<DeliveryView>>()
            .ProducesValidationProblem(400);
        api.MapGet("/{id:guid}", async (Guid id, HttpContext http, NotificationsDb db, CancellationToken ct) =>
            {
                var delivery = await Views(Visible(http, db).Where(d => d.Id == id), db).FirstOrDefaultAsync(ct);
                if (delivery is null)
                    return Results.Problem(statusCode: 404, title: "Delivery not found");
                var attempts = await db
                    .Attempts.AsNoTracking()
                    .Where(a => a.DeliveryId == id)
                    .OrderBy(a => a.Number)
                    .Select(a => new AttemptView(a.Id, a.DeliveryId, a.Number, a.At, a.Succeeded, a.StatusCode, a.Error, a.DurationMs))
                    .ToListAsync(ct);
                return Results.Ok(new DeliveryDetail(delivery, attempts));
            })
            .Produces<DeliveryDetail>()
            .ProducesProblem(404);
        api.MapPost("/{id:guid}/retry", async (Guid id, HttpContext http, NotificationsDb db, CancellationToken ct) =>
            {
                var delivery = await Visible(http, db).AsTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
                if (delivery is null)
                    return Results.Problem(statusCode: 404, title: "Delivery not found");
                if (delivery.Status != DeliveryStatus.Failed)
                    return Results.Problem(
                        statusCode: 409,
                        title: "Not failed",
                        detail: $"The delivery is {delivery.Status}; only a Failed one can be retried."
                    );
                delivery.Status = DeliveryStatus.Pending;
                delivery.Attempts = 0;
                delivery.NextAttemptAt = DateTimeOffset.UtcNow;
                delivery.LastError = null;
                db.Audit(http.User, "delivery.retried", "delivery", id.ToString());
                await db.SaveChangesAsync(ct);
                return Results.Accepted(
                    $"/api/deliveries/{id}",
                    await Views(db.Deliveries.AsNoTracking().Where(d => d.Id == id), db).FirstAsync(ct)
                );
            })
            .Produces<DeliveryView>(StatusCodes.Status202Accepted)
            .ProducesProblem(404)
            .ProducesProblem(409);
    }

    static IQueryable<DeliveryView> Views(IQueryable<Data.Delivery> deliveries, NotificationsDb db) =>
        from d in deliveries
        join a in db.Alerts on d.AlertId equals (Guid?)a.Id into alerts
        from a in alerts.DefaultIfEmpty()
        select new DeliveryView(
            d.Id,
            d.AlertId,
            d.BriefingId,
            d.SubscriptionId,
            a == null ? null : a.IndicatorCode,
            a == null ? "Briefing" : a.Kind,
            d.Status.ToString(),
            d.Attempts,
            d.NextAttemptAt,
            d.LastError,
            d.CreatedAt,
            d.DeliveredAt
        );

    /// <summary>Admins see every delivery; a department those of its own subscriptions.</summary>
    static IQueryable<Data.Delivery> Visible(HttpContext http, NotificationsDb db)
    {
        var own = http.User.Department();
        var query = db.Deliveries.AsNoTracking();
        return own is null ? query : query.Where(d => db.Subscriptions.Any(s => s.Id == d.SubscriptionId && s.Department == own));
    }
}
