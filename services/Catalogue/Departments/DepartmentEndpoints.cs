using System.Security.Claims;
using Cnh.Catalogue.Data;
using Cnh.Catalogue.Documents;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Catalogue.Departments;

/// <summary>Groups and departments: read by everyone, departments maintained by admins.</summary>
/// <summary>A group of indicators, with how many it expects and how many it has (retired ones excepted).</summary>
public sealed record GroupView(string Code, string NameVi, string NameEn, int ExpectedCount, int IndicatorCount);

/// <summary>A department as the API answers it.</summary>
public sealed record DepartmentView(string Code, string NameVi, string NameEn)
{
    public static DepartmentView From(Department d) => new(d.Code, d.NameVi, d.NameEn);
}

public static class DepartmentEndpoints
{
    public sealed record DepartmentRequest(string? NameVi, string? NameEn);

    public static void MapDepartmentEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/catalogue").WithTags("Catalogue");
        api.MapGet("/groups", async (CatalogueDb db, CancellationToken ct) =>
                TypedResults.Ok(
                    await db
                        .Groups.AsNoTracking()
                        .OrderBy(g => g.SortOrder)
                        .Select(g => new GroupView(
                            g.Code,
                            g.NameVi,
                            g.NameEn,
                            g.ExpectedCount,
                            db.Indicators.Count(i => i.Group == g.Code && !i.Retired)
                        ))
                        .ToListAsync(ct)
                )
            )
            .RequireAuthorization(AuthorizationPolicies.Reader);
        api.MapGet("/departments", async (CatalogueDb db, CancellationToken ct) =>
                TypedResults.Ok(
                    await db
                        .Departments.AsNoTracking()
                        .OrderBy(d => d.Code)
                        .Select(d => new DepartmentView(d.Code, d.NameVi, d.NameEn))
                        .ToListAsync(ct)
                )
            )
            .RequireAuthorization(AuthorizationPolicies.Reader);
        api.MapGet("/departments/{code}", async (string code, CatalogueDb db, CancellationToken ct) =>
                await db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Code == code, ct) is { } department
                    ? Results.Ok(DepartmentView.From(department))
                    : Results.Problem(statusCode: 404, title: "Department not found", detail: $"No department '{code}'.")
            )
            .RequireAuthorization(AuthorizationPolicies.Reader)
            .Produces<DepartmentView>()
            .ProducesProblem(404);
        api.MapPut("/departments/{code}", PutDepartment)
            .RequireAuthorization(AuthorizationPolicies.Admin)
            .Produces<DepartmentView>()
            .Produces<DepartmentView>(StatusCodes.Status201Created)
            .ProducesValidationProblem(422)
            .ProducesProblem(409);
    }

    static async Task<IResult> PutDepartment(string code, HttpRequest request, ClaimsPrincipal user, CatalogueDb db, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<DepartmentRequest>(request, ct);
        if (body.Error is not null)
            return body.Error;
        var errors = CodeRules.ValidateNamed(code, body.Value!.NameVi, body.Value.NameEn);
        if (errors.Count > 0)
            return JsonBody.Invalid(errors);

        var existing = await db.Departments.FirstOrDefaultAsync(d => d.Code == code, ct);
        if (existing is not null && existing.NameVi == body.Value.NameVi && existing.NameEn == body.Value.NameEn)
            return Results.Ok(DepartmentView.From(existing));
        var department = existing
            ?? db.Departments.Add(
                new Department
                {
                    Code = code,
                    NameVi = "",
                    NameEn = "",
                }
            ).Entity;
        department.NameVi = body.Value.NameVi!;
        department.NameEn = body.Value.NameEn!;
        db.Audit(user, existing is null ? "department.created" : "department.updated", "department", code, body.Value);
        db.AddOutboxEvent(department.ToDefinedEvent());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsConflict())
        {
            return Results.Problem(
                statusCode: 409,
                title: "Concurrent change",
                detail: "The department was created meanwhile; read it and retry."
            );
        }
        return existing is null
            ? Results.Created($"/api/catalogue/departments/{code}", DepartmentView.From(department))
            : Results.Ok(DepartmentView.From(department));
    }
}
