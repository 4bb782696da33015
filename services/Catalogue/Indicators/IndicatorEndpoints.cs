using Cnh.Catalogue.Data;
using Cnh.Catalogue.Seed;
using Cnh.Contracts;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Catalogue.Indicators;

public sealed record IndicatorView(
    string Code, string Catalogue, string Group, string NameVi, string NameEn, string Unit, string Direction,
    BaselineDocument? Baseline, IReadOnlyList<TargetDocument> Targets, string ResponsibleDepartment,
    IReadOnlyList<string> CoordinatingDepartments, string ReportingFrequency, double Weight, string Confidence,
    string? Source, string? NationalAlignment, int Version, bool Retired, DateTimeOffset UpdatedAt)
{
    public static IndicatorView From(Indicator i)
    {
        var d = i.ToDocument();
        return new(i.Code, i.Catalogue, i.Group, i.NameVi, i.NameEn, i.Unit, i.Direction, d.Baseline, d.Targets,
            i.ResponsibleDepartment, i.CoordinatingDepartments, i.ReportingFrequency, i.Weight, i.Confidence, i.Source,
            i.NationalAlignment, i.Version, i.Retired, i.UpdatedAt);
    }
}

public static class IndicatorEndpoints
{
    public static void MapIndicatorEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/catalogue").WithTags("Catalogue");
        api.MapGet("/indicators", ListIndicators).RequireAuthorization(AuthorizationPolicies.Reader);
        api.MapGet("/indicators/{code}", GetIndicator).RequireAuthorization(AuthorizationPolicies.Reader);
        api.MapPut("/indicators/{code}", PutIndicator).RequireAuthorization(AuthorizationPolicies.Admin);
        api.MapGet("/groups", async (CatalogueDb db, CancellationToken ct) =>
            Results.Ok(await db.Groups.AsNoTracking().OrderBy(g => g.SortOrder)
                .Select(g => new { g.Code, g.NameVi, g.NameEn, g.ExpectedCount, IndicatorCount = db.Indicators.Count(i => i.Group == g.Code && !i.Retired) })
                .ToListAsync(ct))).RequireAuthorization(AuthorizationPolicies.Reader);
        api.MapGet("/departments", async (CatalogueDb db, CancellationToken ct) =>
            Results.Ok(await db.Departments.AsNoTracking().OrderBy(d => d.Code).ToListAsync(ct))).RequireAuthorization(AuthorizationPolicies.Reader);
        api.MapPost("/republish", Republish).RequireAuthorization(AuthorizationPolicies.Admin);
    }

    static async Task<IResult> ListIndicators(CatalogueDb db, string? group, string? department, CancellationToken ct)
    {
        var query = db.Indicators.AsNoTracking();
        if (!string.IsNullOrEmpty(group)) query = query.Where(i => i.Group == group);
        if (!string.IsNullOrEmpty(department))
            query = query.Where(i => i.ResponsibleDepartment == department || i.CoordinatingDepartments.Contains(department));
        var list = await query.OrderBy(i => i.Code).ToListAsync(ct);
        return Results.Ok(list.Select(IndicatorView.From));
    }

    static async Task<IResult> GetIndicator(string code, CatalogueDb db, CancellationToken ct) =>
        await db.Indicators.AsNoTracking().FirstOrDefaultAsync(i => i.Code == code, ct) is { } indicator
            ? Results.Ok(IndicatorView.From(indicator))
            : Results.Problem(statusCode: 404, title: "Indicator not found", detail: $"No indicator '{code}'.");

    /// <summary>Creates or replaces an indicator's definition; every change makes a new version and is published.</summary>
    static async Task<IResult> PutIndicator(string code, HttpRequest request, CatalogueDb db, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<IndicatorDocument>(request, ct);
        if (body.Error is not null) return body.Error;
        var doc = body.Value!;
        if (doc.Code != code) return JsonBody.Invalid("code", "The body's code must be the path's code.");

        var groups = await db.Groups.Select(g => g.Code).ToHashSetAsync(ct);
        var departments = await db.Departments.Select(d => d.Code).ToHashSetAsync(ct);
        var errors = IndicatorRules.Validate(doc, groups, departments);
        if (errors.Count > 0) return JsonBody.Invalid(errors);

        var existing = await db.Indicators.FirstOrDefaultAsync(i => i.Code == code, ct);
        var catalogue = existing?.Catalogue ?? await db.Indicators.Select(i => i.Catalogue).FirstOrDefaultAsync(ct) ?? "default";
        var updated = IndicatorMapping.FromDocument(catalogue, doc);
        // Sending the same definition again is not a change: no new version, nothing published.
        if (existing is not null && SameDefinition(existing, updated)) return Results.Ok(IndicatorView.From(existing));
        if (existing is null)
        {
            updated.Version = 1;
            updated.UpdatedAt = DateTimeOffset.UtcNow;
            db.Indicators.Add(updated);
            existing = updated;
        }
        else
        {
            updated.Version = existing.Version + 1;
            updated.UpdatedAt = DateTimeOffset.UtcNow;
            db.Entry(existing).CurrentValues.SetValues(updated);
            existing.Targets = updated.Targets;
            existing.CoordinatingDepartments = updated.CoordinatingDepartments;
        }
        db.AddOutboxEvent(existing.ToDefinedEvent());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Results.Problem(statusCode: 409, title: "Concurrent change", detail: "The indicator changed meanwhile; read it again and retry.");
        }
        return Results.Ok(IndicatorView.From(existing));
    }

    static bool SameDefinition(Indicator a, Indicator b) =>
        System.Text.Json.JsonSerializer.Serialize(a.ToDocument()) == System.Text.Json.JsonSerializer.Serialize(b.ToDocument()) && a.Retired == b.Retired;

    static async Task<IResult> Republish(CatalogueDb db, CancellationToken ct)
    {
        var count = await CatalogueReplay.EnqueueAllAsync(db, ct);
        await db.SaveChangesAsync(ct);
        return Results.Accepted(value: new { republished = count });
    }
}
