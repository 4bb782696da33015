using System.Net.Mail;
using System.Security.Cryptography;
using Cnh.Notifications.Data;
using Cnh.Notifications.Delivery;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Notifications.Api;

/// <summary><c>/api/subscriptions</c>: admins manage all (including the leadership group's), a department its own.</summary>
public static class SubscriptionEndpoints
{
    public sealed record CreateRequest(
        string? Channel,
        string? Url,
        string? Secret,
        string? Email,
        string? Department,
        bool? Leadership,
        bool? Digest
    );

    public sealed record SubscriptionView(
        Guid Id,
        string Channel,
        string? Department,
        bool Leadership,
        string? Url,
        string? Email,
        bool Digest,
        string CreatedBy,
        DateTimeOffset CreatedAt
    )
    {
        public static SubscriptionView From(Subscription s) =>
            new(s.Id, s.Channel, s.Department, s.Department is null, s.Url, s.Email, s.Digest, s.CreatedBy, s.CreatedAt);
    }

    public static void MapSubscriptionEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/subscriptions").WithTags("Subscriptions").RequireAuthorization(AuthorizationPolicies.Submitter);
        api.MapGet("/", async (HttpContext http, NotificationsDb db, CancellationToken ct) =>
            {
                var own = http.User.Department();
                var query = db.Subscriptions.AsNoTracking();
                if (own is not null)
                    query = query.Where(s => s.Department == own);
                return Results.Ok((await query.OrderBy(s => s.CreatedAt).ToListAsync(ct)).Select(SubscriptionView.From));
            })
            .Produces<List<SubscriptionView>>();
        api.MapPost("/", Create).ProducesValidationProblem(422).ProducesProblem(403).ProducesProblem(409);
        api.MapDelete("/{id:guid}", async (Guid id, HttpContext http, NotificationsDb db, CancellationToken ct) =>
            {
                var subscription = await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == id, ct);
                if (subscription is null)
                    return Results.Problem(statusCode: 404, title: "Subscription not found");
                if (!http.User.IsAdmin() && subscription.Department != http.User.Department())
                    return Results.Problem(statusCode: 403, title: "Not your subscription");
                db.Subscriptions.Remove(subscription);
                db.Audit(
                    http.User,
                    "subscription.deleted",
                    "subscription",
                    id.ToString(),
                    new { subscription.Channel, subscription.Department }
                );
                await db.SaveChangesAsync(ct);
                return Results.NoContent();
            })
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(403)
            .ProducesProblem(404);
    }

    static async Task<IResult> Create(
        HttpRequest http,
        NotificationsDb db,
        IHostEnvironment environment,
        WebhookAddresses addresses,
        WebhookSecrets secrets,
        Microsoft.Extensions.Options.IOptions<DeliveryOptions> delivery,
        CancellationToken ct
    )
    {
        var body = await JsonBody.ReadAsync<CreateRequest>(http, ct);
        if (body.Error is not null)
            return body.Error;
        var r = body.Value!;
        var user = http.HttpContext.User;
        var own = user.Department();

        // Leadership subscriptions and other departments' are the admins' to make.
        string? department;
        if (own is not null)
        {
            if (r.Leadership == true || (r.Department is not null && r.Department != own))
                return Results.Problem(
                    statusCode: 403,
                    title: "Not your department",
                    detail: $"You may subscribe department {own} only.",
                    extensions: new Dictionary<string, object?> { ["field"] = r.Leadership == true ? "leadership" : "department" }
                );
            department = own;
        }
        else
            department = r.Leadership == true ? null : r.Department;

        var errors = new Dictionary<string, string[]>();
        if (own is null && r.Leadership != true && (department is null || !IsDepartmentCode(department)))
            errors["department"] = ["A department code, or \"leadership\": true."];
        if (r.Channel == Channels.Webhook)
        {
            if (
                !Uri.TryCreate(r.Url, UriKind.Absolute, out var url)
                || url.Scheme is not ("https" or "http")
                || !TextRules.IsSafe(r.Url)
                || r.Url!.Length > 2000
            )
                errors["url"] = ["An absolute http(s) URL is required."];
            else if (url.Scheme == "http" && !url.IsLoopback && !environment.IsDevelopment())
                errors["url"] = ["Use https outside development."];
            else if (!string.IsNullOrEmpty(url.UserInfo))
                errors["url"] = ["No user name or password in the URL: the signature authenticates the platform."];
            else if (await addresses.CheckAsync(url, ct) is { } refused)
                errors["url"] = [refused];
            if (r.Secret is not null && (r.Secret.Length is < 16 or > 200 || !TextRules.IsSafe(r.Secret)))
                errors["secret"] = ["16 to 200 printable characters, or leave it out to get one generated."];
        }
        else if (r.Channel == Channels.Email)
        {
            if (r.Email is null || r.Email.Length > 320 || !TextRules.IsSafe(r.Email) || !MailAddress.TryCreate(r.Email, out _))
                errors["email"] = ["A valid email address is required."];
        }
        else
            errors["channel"] = ["\"webhook\" or \"email\"."];
        if (errors.Count > 0)
            return JsonBody.Invalid(errors);
        // A department's subscriptions share its delivery slots; a cap keeps the list one a person can manage.
        if (
            department is not null
            && await db.Subscriptions.CountAsync(s => s.Department == department, ct) >= delivery.Value.MaxSubscriptionsPerDepartment
        )
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Too many subscriptions",
                detail: $"Department {department} has {delivery.Value.MaxSubscriptionsPerDepartment} subscriptions, the most "
                    + $"allowed; delete one first."
            );

        var secret = r.Channel == Channels.Webhook ? r.Secret ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) : null;
        var subscription = new Subscription
        {
            Id = Guid.CreateVersion7(),
            Channel = r.Channel!,
            Department = department,
            Url = r.Channel == Channels.Webhook ? r.Url : null,
            Secret = secret is null ? null : secrets.Protect(secret),
            Email = r.Channel == Channels.Email ? r.Email : null,
            Digest = r.Digest ?? false,
            LastDigestAt = DateTimeOffset.UtcNow,
            CreatedBy = user.ClientId(),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Subscriptions.Add(subscription);
        db.Audit(
            user,
            "subscription.created",
            "subscription",
            subscription.Id.ToString(),
            new
            {
                subscription.Channel,
                subscription.Department,
                subscription.Url,
                subscription.Email,
                subscription.Digest,
            }
        );
        await db.SaveChangesAsync(ct);
        // The signing secret is shown once, here.
        return Results.Created($"/api/subscriptions/{subscription.Id}", new { subscription = SubscriptionView.From(subscription), secret });
    }

    static bool IsDepartmentCode(string code) => code.Length is > 0 and <= 16 && code.All(char.IsAsciiLetterOrDigit);
}
