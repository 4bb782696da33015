using System.Security.Claims;
using Cnh.Contracts;
using Cnh.Gateway.Data;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace Cnh.Gateway.Auth;

/// <summary>
/// Admins manage the API clients at <c>/api/clients</c>: create one (for a department, a viewer or another admin),
/// rotate its secret, revoke it. A secret is answered once and stored only as a hash.
/// </summary>
public static class ClientEndpoints
{
    public sealed record CreateClient(string? ClientId, string? Role, string? Department, string? Description);

    public sealed record ClientView(
        string ClientId,
        string Role,
        string? Department,
        string? Description,
        DateTimeOffset CreatedAt,
        DateTimeOffset SecretIssuedAt,
        DateTimeOffset? RevokedAt
    )
    {
        public static ClientView From(ApiClientRow r) =>
            new(r.ClientId, r.Role, r.Department, r.Description, r.CreatedAt, r.SecretIssuedAt, r.RevokedAt);
    }

    /// <summary>The only answer that ever holds the plain secret.</summary>
    public sealed record IssuedCredentials(
        string ClientId,
        string ClientSecret,
        string Role,
        string? Department,
        DateTimeOffset SecretIssuedAt
    );

    public static void MapClientEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/clients")
            .WithTags("Clients")
            .RequireAuthorization(AuthorizationPolicies.Admin)
            .RequireRateLimiting(Edge.RateLimits.ApiPolicy);
        api.MapGet("/", async (GatewayDb db, string? department, CancellationToken ct) =>
            {
                var query = db.Clients.AsNoTracking();
                if (!string.IsNullOrEmpty(department))
                    query = query.Where(c => c.Department == department);
                return Results.Ok((await query.OrderBy(c => c.ClientId).ToListAsync(ct)).Select(ClientView.From));
            })
            .Produces<List<ClientView>>();
        api.MapGet("/{clientId}", async (string clientId, GatewayDb db, CancellationToken ct) =>
                await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.ClientId == clientId, ct) is { } row
                    ? Results.Ok(ClientView.From(row))
                    : NotFound(clientId)
            )
            .Produces<ClientView>()
            .ProducesProblem(404);
        api.MapPost("/", Create)
            .Produces<IssuedCredentials>(StatusCodes.Status201Created)
            .ProducesValidationProblem(422)
            .ProducesProblem(409);
        api.MapPost("/{clientId}/secret", Rotate).Produces<IssuedCredentials>().ProducesProblem(404).ProducesProblem(409);
        api.MapDelete("/{clientId}", Revoke).Produces(StatusCodes.Status204NoContent).ProducesProblem(404);
        app.MapAuditLog<GatewayDb>("/api/clients/audit").RequireRateLimiting(Edge.RateLimits.ApiPolicy);
    }

    static async Task<IResult> Create(
        HttpRequest request,
        ClaimsPrincipal user,
        GatewayDb db,
        IOpenIddictApplicationManager applications,
        CancellationToken ct
    )
    {
        var body = await JsonBody.ReadAsync<CreateClient>(request, ct);
        if (body.Error is not null)
            return body.Error;
        var c = body.Value!;
        var errors = new Dictionary<string, string[]>();
        if (!Roles.All.Contains(c.Role))
            errors["role"] = [$"One of {string.Join(", ", Roles.All)}."];
        if (Roles.BelongsToDepartment(c.Role) && string.IsNullOrWhiteSpace(c.Department))
            errors["department"] = [$"Required for a {c.Role} client."];
        if (!Roles.BelongsToDepartment(c.Role) && c.Department is not null)
            errors["department"] = [$"Only {Roles.Department} and {Roles.DepartmentApprover} clients belong to a department."];
        // A code, never a path segment such as "." or "..", which the catalogue's URL would resolve to its department list.
        else if (
            c.Department is not null
            && !System.Text.RegularExpressions.Regex.IsMatch(c.Department, "^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
        )
            errors["department"] = ["A department code: letters, digits, '.', '_' or '-', starting with a letter or digit."];
        if (c.ClientId is not null && !IsClientId(c.ClientId))
            errors["clientId"] = ["3 to 64 lowercase letters, digits, '.', '_' or '-'."];
        if (c.Description is { Length: > 500 } || !TextRules.IsSafe(c.Description))
            errors["description"] = ["At most 500 printable characters."];
        if (errors.Count > 0)
            return JsonBody.Invalid(errors);
        if (c.Department is not null && await DepartmentExistsAsync(db, c.Department, ct) is { } departmentError)
            return departmentError;

        // A department code is letters, digits, '.', '_' or '-', and the suffix is base64url: lowercased, a valid client id.
        var owner = c.Department is null ? c.Role : "dept-" + c.Department.ToLowerInvariant();
        var clientId = c.ClientId ?? $"{owner}-{ClientCredentials.NewSecret()[..8].ToLowerInvariant()}";
        var secret = ClientCredentials.NewSecret();
        var now = DateTimeOffset.UtcNow;
        var row = new ApiClientRow
        {
            ClientId = clientId,
            Role = c.Role!,
            Department = c.Department,
            Description = c.Description,
            CreatedAt = now,
            SecretIssuedAt = now,
        };
        db.Clients.Add(row);
        db.Audit(
            user,
            "client.created",
            "client",
            clientId,
            new
            {
                row.Role,
                row.Department,
                row.Description,
            }
        );
        try
        {
            await ClientCredentials.CreateAsync(applications, clientId, secret, c.Description, ct);
        }
        catch (Exception ex) when (ex is DbUpdateException { } save && save.IsConflict() || ex is OpenIddictExceptions.ValidationException)
        {
            return Results.Problem(
                statusCode: 409,
                title: "Client exists",
                detail: $"There is already a client '{clientId}'.",
                extensions: new Dictionary<string, object?> { ["field"] = "clientId" }
            );
        }
        return Results.Created($"/api/clients/{clientId}", new IssuedCredentials(clientId, secret, row.Role, row.Department, now));
    }

    static async Task<IResult> Rotate(
        string clientId,
        ClaimsPrincipal user,
        GatewayDb db,
        IOpenIddictApplicationManager applications,
        RevocationListBuilder revocations,
        CancellationToken ct
    )
    {
        var row = await db.Clients.FirstOrDefaultAsync(c => c.ClientId == clientId, ct);
        if (row is null)
            return NotFound(clientId);
        if (row.RevokedAt is not null)
            return Results.Problem(statusCode: 409, title: "Client revoked", detail: $"{clientId} is revoked; create a new client.");
        var secret = ClientCredentials.NewSecret();
        row.SecretIssuedAt = DateTimeOffset.UtcNow;
        db.Audit(user, "client.secret-rotated", "client", clientId);
        await ClientCredentials.RotateAsync(applications, clientId, secret, ct);
        await revocations.RefreshAsync(ct);
        return Results.Ok(new IssuedCredentials(clientId, secret, row.Role, row.Department, row.SecretIssuedAt));
    }

    static async Task<IResult> Revoke(
        string clientId,
        ClaimsPrincipal user,
        GatewayDb db,
        IOpenIddictApplicationManager applications,
        RevocationListBuilder revocations,
        CancellationToken ct
    )
    {
        var row = await db.Clients.FirstOrDefaultAsync(c => c.ClientId == clientId, ct);
        if (row is null)
            return NotFound(clientId);
        if (row.ClientId == user.ClientId())
            return Results.Problem(
                statusCode: 409,
                title: "Cannot revoke yourself",
                detail: "Another admin must revoke this client, so that one admin always remains."
            );
        if (row.RevokedAt is null)
        {
            row.RevokedAt = DateTimeOffset.UtcNow;
            db.Audit(user, "client.revoked", "client", clientId);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            await ClientCredentials.RemoveAsync(applications, clientId, ct);
            await tx.CommitAsync(ct);
            await revocations.RefreshAsync(ct);
        }
        return Results.NoContent();
    }

    /// <summary>The catalogue owns departments; the gateway knows them from its <c>DepartmentDefined</c> events.</summary>
    static async Task<IResult?> DepartmentExistsAsync(GatewayDb db, string department, CancellationToken ct) =>
        await db.Departments.AnyAsync(d => d.Code == department, ct)
            ? null
            : JsonBody.Invalid(
                "department",
                $"Unknown department '{department}'; create it with PUT /api/catalogue/departments/{department} "
                    + "(a department created a moment ago reaches the gateway within seconds)."
            );

    static bool IsClientId(string id) =>
        id.Length is >= 3 and <= 64 && id.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-');

    static IResult NotFound(string clientId) =>
        Results.Problem(statusCode: 404, title: "Client not found", detail: $"No client '{clientId}'.");
}
