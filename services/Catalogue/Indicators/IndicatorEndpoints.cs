using System.Security.Claims;
using Cnh.Catalogue.Data;
using Cnh.Catalogue.Documents;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Catalogue.Indicators;

public sealed record IndicatorView(
    string Code,
    string Catalogue,
    string Group,
    string NameVi,
    string NameEn,
    string Unit,
    string Direction,
    BaselineDocument? Baseline,
    IReadOnlyList<TargetDocument> Targets,
    string ResponsibleDepartment,
    IReadOnlyList<string> CoordinatingDepartments,
    string ReportingFrequency,
    double Weight,
    string Confidence,
    string? Source,
    string? NationalAlignment,
    int DueDays,
    double? PlausibleMin,
    double? PlausibleMax,
    int Version,
    bool Retired,
    DateTimeOffset UpdatedAt
)
{
    public static IndicatorView From(Indicator i)
    {
        var d = i.ToDocument();
        return new(
            i.Code,
            i.Catalogue,
            i.Group,
            i.NameVi,
            i.NameEn,
            i.Unit,
            i.Direction,
            d.Baseline,
            d.Targets,
            i.ResponsibleDepartment,
            i.CoordinatingDepartments,
            i.ReportingFrequency,
            i.Weight,
            i.Confidence,
            i.Source,
            i.NationalAlignment,
            i.DueDays,
            i.PlausibleMin,
            i.PlausibleMax,
            i.Version,
            i.Retired,
            i.UpdatedAt
        );
    }
}

public sealed record IndicatorVersionView(
    int Version,
    string Change,
    string ChangedBy,
    DateTimeOffset ChangedAt,
    bool Retired,
    IndicatorDocument Definition,
    string? Document
);

public static class IndicatorEndpoints
{
    public static void MapIndicatorEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/catalogue").WithTags("Catalogue");
        api.MapGet("/indicators", ListIndicators).RequireAuthorization(AuthorizationPolicies.Reader).Produces<List<IndicatorView>>();
        api.MapGet("/indicators/{code}", GetIndicator)
            .RequireAuthorization(AuthorizationPolicies.Reader)
            .Produces<IndicatorView>()
            .ProducesProblem(404);
        api.MapGet("/indicators/{code}/versions", ListVersions)
            .RequireAuthorization(AuthorizationPolicies.Reader)
            .Produces<List<IndicatorVersionView>>()
            .ProducesProblem(404);
        api.MapPost("/indicators", CreateIndicator)
            .RequireAuthorization(AuthorizationPolicies.Admin)
            .Produces<IndicatorView>(StatusCodes.Status201Created)
            .ProducesValidationProblem(422)
            .ProducesProblem(409);
        api.MapPut("/indicators/{code}", PutIndicator)
            .RequireAuthorization(AuthorizationPolicies.Admin)
            .Produces<IndicatorView>()
            .ProducesValidationProblem(422)
            .ProducesProblem(409);
        api.MapPost("/indicators/{code}/retire", (string code, ClaimsPrincipal user, CatalogueDb db, CancellationToken ct) =>
                ChangeAsync(code, user, db, "retired", i => i.Retired = true, ct)
            )
            .RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapPost("/indicators/{code}/reinstate", (string code, ClaimsPrincipal user, CatalogueDb db, CancellationToken ct) =>
                ChangeAsync(code, user, db, "reinstated", i => i.Retired = false, ct)
            )
            .RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapPost("/indicators/{code}/confirm", (string code, ClaimsPrincipal user, CatalogueDb db, CancellationToken ct) =>
                ChangeAsync(code, user, db, "confirmed", i => i.Confidence = "documented", ct)
            )
            .RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapPost("/republish", Republish).RequireAuthorization(AuthorizationPolicies.Admin);
    }

    static async Task<IResult> ListIndicators(CatalogueDb db, string? group, string? department, bool? includeRetired, CancellationToken ct)
    {
        var query = db.Indicators.AsNoTracking();
        if (includeRetired != true)
            query = query.Where(i => !i.Retired);
        if (!string.IsNullOrEmpty(group))
            query = query.Where(i => i.Group == group);
        if (!string.IsNullOrEmpty(department))
            query = query.Where(i => i.ResponsibleDepartment == department || i.CoordinatingDepartments.Contains(department));
        var list = await query.OrderBy(i => i.Code).ToListAsync(ct);
        return Results.Ok(list.Select(IndicatorView.From));
    }

    static async Task<IResult> GetIndicator(string code, CatalogueDb db, CancellationToken ct) =>
        await db.Indicators.AsNoTracking().FirstOrDefaultAsync(i => i.Code == code, ct) is { } indicator
            ? Results.Ok(IndicatorView.From(indicator))
            : NotFound(code);

    static async Task<IResult> ListVersions(string code, CatalogueDb db, CancellationToken ct)
    {
        var versions = await db.IndicatorVersions.AsNoTracking().Where(v => v.Code == code).OrderBy(v => v.Version).ToListAsync(ct);
        return versions.Count == 0
            ? NotFound(code)
            : Results.Ok(
                versions.Select(v => new IndicatorVersionView(
                    v.Version,
                    v.Change,
                    v.ChangedBy,
                    v.ChangedAt,
                    v.Retired,
                    v.Definition,
                    v.Document
                ))
            );
    }

    /// <summary><c>POST /indicators</c>: a new code only; an existing one is a 409 (use PUT to change it).</summary>
    static async Task<IResult> CreateIndicator(HttpRequest request, ClaimsPrincipal user, CatalogueDb db, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<IndicatorDocument>(request, ct);
        if (body.Error is not null)
            return body.Error;
        if (body.Value!.Code is { } code && await db.Indicators.AnyAsync(i => i.Code == code, ct))
            return Results.Problem(
                statusCode: 409,
                title: "Indicator exists",
                detail: $"{code} already exists; PUT /api/catalogue/indicators/{code} changes it.",
                extensions: new Dictionary<string, object?> { ["field"] = "code" }
            );
        return await SaveDocumentAsync(body.Value, user, db, "created", ct);
    }

    /// <summary><c>PUT /indicators/{code}</c>: creates or replaces the definition.</summary>
    static async Task<IResult> PutIndicator(string code, HttpRequest request, ClaimsPrincipal user, CatalogueDb db, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<IndicatorDocument>(request, ct);
        if (body.Error is not null)
            return body.Error;
        if (body.Value!.Code != code)
            return JsonBody.Invalid("code", "The body's code must be the path's code.");
        return await SaveDocumentAsync(body.Value, user, db, "updated", ct);
    }

    static async Task<IResult> SaveDocumentAsync(
        IndicatorDocument doc,
        ClaimsPrincipal user,
        CatalogueDb db,
        string change,
        CancellationToken ct
    )
    {
        var errors = IndicatorRules.Validate(
            doc,
            await db.Groups.Select(g => g.Code).ToHashSetAsync(ct),
            await db.Departments.Select(d => d.Code).ToHashSetAsync(ct)
        );
        if (errors.Count > 0)
            return JsonBody.Invalid(errors);

        var existing = await db.Indicators.FirstOrDefaultAsync(i => i.Code == doc.Code, ct);
        var catalogue = existing?.Catalogue ?? await db.Indicators.Select(i => i.Catalogue).FirstOrDefaultAsync(ct) ?? "default";
        var proposed = IndicatorMapping.FromDocument(catalogue, doc);
        proposed.Retired = existing?.Retired ?? false;
        var changed = IndicatorChanges.Apply(db, user, existing, proposed, existing is null ? "created" : change);
        if (changed is null)
            return Results.Ok(IndicatorView.From(existing!));
        return await SaveAsync(db, changed, created: existing is null, ct);
    }

    static async Task<IResult> ChangeAsync(
        string code,
        ClaimsPrincipal user,
        CatalogueDb db,
        string change,
        Action<Indicator> edit,
        CancellationToken ct
    )
    {
        var existing = await db.Indicators.FirstOrDefaultAsync(i => i.Code == code, ct);
        if (existing is null)
            return NotFound(code);
        var proposed = IndicatorChanges.Copy(existing);
        edit(proposed);
        var changed = IndicatorChanges.Apply(db, user, existing, proposed, change);
        return changed is null ? Results.Ok(IndicatorView.From(existing)) : await SaveAsync(db, changed, created: false, ct);
    }

    static async Task<IResult> SaveAsync(CatalogueDb db, Indicator indicator, bool created, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsConflict())
        {
            return Results.Problem(
                statusCode: 409,
                title: "Concurrent change",
                detail: "The indicator changed meanwhile; read it again and retry."
            );
        }
        var view = IndicatorView.From(indicator);
        return created ? Results.Created($"/api/catalogue/indicators/{indicator.Code}", view) : Results.Ok(view);
    }

    static IResult NotFound(string code) =>
        Results.Problem(statusCode: 404, title: "Indicator not found", detail: $"No indicator '{code}'.");

    static async Task<IResult> Republish(CatalogueDb db, CancellationToken ct)
    {
        var count = await CatalogueReplay.EnqueueAllAsync(db, ct);
        await db.SaveChangesAsync(ct);
        return Results.Accepted(value: new { republished = count });
    }
}
