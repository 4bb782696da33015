using System.Security.Claims;
using Cnh.Catalogue.Data;
using Cnh.Catalogue.Departments;
using Cnh.Catalogue.Documents;
using Cnh.Catalogue.Indicators;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Catalogue.Transfer;

public sealed record ImportSummary(
    bool DryRun,
    string Catalogue,
    IReadOnlyList<string> Created,
    IReadOnlyList<string> Updated,
    IReadOnlyList<string> Unchanged,
    IReadOnlyList<string> NotInDocument,
    int GroupsAdded,
    int DepartmentsAdded
);

/// <summary>
/// A whole catalogue in the seed file's format. Import is an upsert: every indicator in the document is created or,
/// when different, gets a new version; indicators missing from it are left alone (retire them explicitly).
/// </summary>
public static class CatalogueTransfer
{
    public static void MapCatalogueTransfer(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/catalogue").WithTags("Catalogue");
        api.MapGet("/export", Export).RequireAuthorization(AuthorizationPolicies.Reader);
        api.MapPost("/import", Import).RequireAuthorization(AuthorizationPolicies.Admin);
    }

    static async Task<IResult> Export(CatalogueDb db, CancellationToken ct)
    {
        var indicators = await db.Indicators.AsNoTracking().Where(i => !i.Retired).OrderBy(i => i.Code).ToListAsync(ct);
        var info = await db.Catalogues.AsNoTracking().FirstOrDefaultAsync(ct);
        var groups = await db.Groups.AsNoTracking().OrderBy(g => g.SortOrder).ToListAsync(ct);
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Code).ToListAsync(ct);
        return Results.Ok(
            new CatalogueDocument(
                info?.Code ?? indicators.FirstOrDefault()?.Catalogue ?? "default",
                info?.Title,
                info?.TitleEn,
                groups.Select(g => new GroupDocument(g.Code, g.NameVi, g.NameEn, g.ExpectedCount)).ToList(),
                departments.Select(d => new DepartmentDocument(d.Code, d.NameVi, d.NameEn)).ToList(),
                indicators.Select(i => i.ToDocument()).ToList(),
                info?.Notes
            )
        );
    }

    static async Task<IResult> Import(HttpRequest request, ClaimsPrincipal user, CatalogueDb db, bool? dryRun, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<CatalogueDocument>(request, ct);
        if (body.Error is not null)
            return body.Error;
        var document = body.Value!;
        var errors = await ValidateAsync(db, document, ct);
        if (errors.Count > 0)
            return JsonBody.Invalid(errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.LockAsync("catalogue", "import", ct);
        var summary = await ApplyAsync(db, user, document, overwrite: true, ct) with { DryRun = dryRun == true };
        if (dryRun == true)
            return Results.Ok(summary);
        db.Audit(
            user,
            "catalogue.imported",
            "catalogue",
            document.Catalogue,
            new
            {
                summary.Created,
                summary.Updated,
                summary.GroupsAdded,
                summary.DepartmentsAdded,
            }
        );
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsConflict())
        {
            return Results.Problem(
                statusCode: 409,
                title: "Concurrent change",
                detail: "The catalogue changed meanwhile; export it again and retry."
            );
        }
        return Results.Ok(summary);
    }

    /// <summary>Every error at the JSON path the client sent, e.g. <c>indicators[3].targets[0].op</c>.</summary>
    public static async Task<Dictionary<string, string[]>> ValidateAsync(CatalogueDb db, CatalogueDocument document, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!CodeRules.IsCode(document.Catalogue))
            errors["catalogue"] = [CodeRules.CodeMessage];
        // Stored as text: no control characters (PostgreSQL cannot store NUL), sensible lengths.
        if (!TextRules.IsSafe(document.Title) || document.Title?.Length > 500)
            errors["title"] = ["Up to 500 characters, no control characters."];
        if (!TextRules.IsSafe(document.TitleEn) || document.TitleEn?.Length > 500)
            errors["titleEn"] = ["Up to 500 characters, no control characters."];
        for (var i = 0; i < (document.Notes?.Count ?? 0); i++)
            if (!TextRules.IsSafe(document.Notes![i], allowLineBreaks: true) || document.Notes[i]?.Length > 4000)
                errors[$"notes[{i}]"] = ["Up to 4000 characters, no control characters but line breaks."];
        if (document.Groups is null || document.Departments is null || document.Indicators is null)
        {
            errors["indicators"] = ["groups, departments and indicators are required (empty lists for none)."];
            return errors;
        }
        for (var i = 0; i < document.Groups.Count; i++)
            foreach (
                var (field, messages) in CodeRules.ValidateNamed(
                    document.Groups[i]?.Code,
                    document.Groups[i]?.NameVi,
                    document.Groups[i]?.NameEn,
                    $"groups[{i}]."
                )
            )
                errors[field] = messages;
        for (var i = 0; i < document.Departments.Count; i++)
            foreach (
                var (field, messages) in CodeRules.ValidateNamed(
                    document.Departments[i]?.Code,
                    document.Departments[i]?.NameVi,
                    document.Departments[i]?.NameEn,
                    $"departments[{i}]."
                )
            )
                errors[field] = messages;
        var groups = (await db.Groups.Select(g => g.Code).ToListAsync(ct)).Concat(document.Groups.Select(g => g?.Code ?? "")).ToHashSet();
        var departments = (await db.Departments.Select(d => d.Code).ToListAsync(ct))
            .Concat(document.Departments.Select(d => d?.Code ?? ""))
            .ToHashSet();
        var seen = new HashSet<string>();
        for (var i = 0; i < document.Indicators.Count; i++)
        {
            if (document.Indicators[i] is not { } indicator)
            {
                errors[$"indicators[{i}]"] = ["An indicator object is required."];
                continue;
            }
            foreach (var (field, messages) in IndicatorRules.Validate(indicator, groups, departments))
                errors[$"indicators[{i}].{field}"] = messages;
            if (indicator.Code is not null && !seen.Add(indicator.Code))
                errors[$"indicators[{i}].code"] = [$"{indicator.Code} appears twice."];
        }
        return errors;
    }

    /// <summary>Adds what is missing and, with <paramref name="overwrite"/>, changes what differs; the caller saves. Versions made
    /// from a seed document name it (<paramref name="source"/>).</summary>
    public static async Task<ImportSummary> ApplyAsync(
        CatalogueDb db,
        ClaimsPrincipal user,
        CatalogueDocument document,
        bool overwrite,
        CancellationToken ct,
        string? source = null
    )
    {
        if (await db.Catalogues.FirstOrDefaultAsync(c => c.Code == document.Catalogue, ct) is { } info)
        {
            if (overwrite)
                (info.Title, info.TitleEn, info.Notes) = (document.Title, document.TitleEn, document.Notes?.ToList() ?? new());
        }
        else
            db.Catalogues.Add(
                new CatalogueInfo
                {
                    Code = document.Catalogue,
                    Title = document.Title,
                    TitleEn = document.TitleEn,
                    Notes = document.Notes?.ToList() ?? new(),
                }
            );

        var groups = await db.Groups.ToDictionaryAsync(g => g.Code, ct);
        var groupsAdded = 0;
        foreach (var (g, order) in document.Groups.Select((g, i) => (g, i + 1)))
        {
            if (groups.TryGetValue(g.Code, out var group))
            {
                if (overwrite)
                    (group.NameVi, group.NameEn, group.ExpectedCount, group.SortOrder) = (g.NameVi, g.NameEn, g.ExpectedCount, order);
                continue;
            }
            db.Groups.Add(
                new Group
                {
                    Code = g.Code,
                    NameVi = g.NameVi,
                    NameEn = g.NameEn,
                    ExpectedCount = g.ExpectedCount,
                    SortOrder = order,
                }
            );
            groupsAdded++;
        }
        var departments = await db.Departments.ToDictionaryAsync(d => d.Code, ct);
        var departmentsAdded = 0;
        foreach (var d in document.Departments)
        {
            if (departments.TryGetValue(d.Code, out var department))
            {
                if (overwrite && (department.NameVi, department.NameEn) != (d.NameVi, d.NameEn))
                {
                    (department.NameVi, department.NameEn) = (d.NameVi, d.NameEn);
                    db.AddOutboxEvent(department.ToDefinedEvent());
                }
                continue;
            }
            var added = db
                .Departments.Add(
                    new Department
                    {
                        Code = d.Code,
                        NameVi = d.NameVi,
                        NameEn = d.NameEn,
                    }
                )
                .Entity;
            db.AddOutboxEvent(added.ToDefinedEvent());
            departmentsAdded++;
        }

        var existing = await db.Indicators.ToDictionaryAsync(i => i.Code, ct);
        List<string> created = [],
            updated = [],
            unchanged = [];
        foreach (var doc in document.Indicators)
        {
            existing.TryGetValue(doc.Code, out var current);
            if (current is not null && !overwrite)
            {
                unchanged.Add(doc.Code);
                continue;
            }
            var proposed = IndicatorMapping.FromDocument(document.Catalogue, doc);
            proposed.Retired = current?.Retired ?? false;
            var changed = IndicatorChanges.Apply(db, user, current, proposed, current is null ? "created" : "imported", source);
            (
                changed is null ? unchanged
                : current is null ? created
                : updated
            ).Add(doc.Code);
        }
        var inDocument = document.Indicators.Select(i => i.Code).ToHashSet();
        return new ImportSummary(
            false,
            document.Catalogue,
            created,
            updated,
            unchanged,
            existing.Keys.Where(c => !inDocument.Contains(c)).Order().ToList(),
            groupsAdded,
            departmentsAdded
        );
    }
}
