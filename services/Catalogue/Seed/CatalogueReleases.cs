using System.Security.Claims;
using Cnh.Catalogue.Data;
using Cnh.Catalogue.Documents;
using Cnh.Catalogue.Indicators;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Catalogue.Seed;

/// <summary>An indicator the release would have changed but an administrator had: the administrator's version stays.</summary>
public sealed record ReleaseConflict(string Code, int KeptVersion, string Reason);

/// <summary>What one seed document changed when it was applied.</summary>
public sealed record ReleaseSummary(
    string Document,
    IReadOnlyList<string> Created,
    IReadOnlyList<string> Updated,
    IReadOnlyList<ReleaseConflict> Conflicts,
    int Unchanged
)
{
    public bool ChangedAnything => Created.Count + Updated.Count + Conflicts.Count > 0;
}

public sealed record ReleaseView(string Document, string Catalogue, DateTimeOffset AppliedAt, ReleaseSummary Summary);

/// <summary>
/// A newer seed document shipped with a release, applied at start. Each indicator is compared three ways: the new
/// document's definition, the definition the last applied document gave it (<see cref="ReleasedDefinition"/>), and
/// the indicator as it stands. Only where the document changed does anything happen: the indicator gets the new
/// definition as a new version — unless an administrator changed it since the last release, in which case the
/// administrator's version stays and the conflict is audited and reported in the release's summary. Applying the same
/// document again changes nothing.
/// </summary>
public static class CatalogueReleases
{
    public static void MapCatalogueReleases(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/catalogue/releases", async (CatalogueDb db, CancellationToken ct) =>
                TypedResults.Ok(
                    (await db.Releases.AsNoTracking().OrderByDescending(r => r.AppliedAt).ToListAsync(ct))
                        .Select(r => new ReleaseView(r.Document, r.Catalogue, r.AppliedAt, r.Summary))
                        .ToList()
                )
            )
            .WithTags("Catalogue")
            .RequireAuthorization(AuthorizationPolicies.Reader);

    /// <summary>
    /// After <see cref="Transfer.CatalogueTransfer.ApplyAsync"/> added what was missing (<paramref name="created"/>):
    /// the release's changes to the indicators that existed. The caller holds the import lock and saves.
    /// </summary>
    public static async Task<ReleaseSummary> ApplyAsync(
        CatalogueDb db,
        ClaimsPrincipal release,
        string label,
        CatalogueDocument document,
        IReadOnlyCollection<string> created,
        CancellationToken ct
    )
    {
        var indicators = await db.Indicators.ToDictionaryAsync(i => i.Code, ct);
        var released = await db.ReleasedDefinitions.ToDictionaryAsync(r => r.Code, ct);
        var earlierSeeds = await EarlierSeedDefinitionsAsync(db, ct);
        List<string> updated = [];
        List<ReleaseConflict> conflicts = [];
        var unchanged = 0;
        foreach (var doc in document.Indicators)
        {
            var proposed = IndicatorMapping.FromDocument(document.Catalogue, doc);
            var definition = proposed.ToDocument();
            if (!created.Contains(doc.Code) && indicators.TryGetValue(doc.Code, out var current))
            {
                var baseline = released.TryGetValue(doc.Code, out var row) ? row.Definition : earlierSeeds.GetValueOrDefault(doc.Code);
                var standing = current.ToDocument();
                if ((baseline is not null && IndicatorChanges.Same(baseline, definition)) || IndicatorChanges.Same(standing, definition))
                    unchanged++;
                else if (baseline is not null && IndicatorChanges.Same(standing, baseline))
                {
                    proposed.Retired = current.Retired;
                    IndicatorChanges.Apply(db, release, current, proposed, "released", label);
                    updated.Add(doc.Code);
                }
                else
                {
                    var reason = baseline is null
                        ? "The indicator was not made by a seed document; it was left as it is."
                        : $"An administrator changed it since the last release (version {current.Version} kept).";
                    conflicts.Add(new ReleaseConflict(doc.Code, current.Version, reason));
                    db.Audit(
                        release,
                        "indicator.release-conflict",
                        "indicator",
                        doc.Code,
                        new
                        {
                            Document = label,
                            KeptVersion = current.Version,
                            Reason = reason,
                            Released = definition,
                        }
                    );
                }
            }
            Remember(db, released, doc.Code, definition, label);
        }
        return new ReleaseSummary(label, [.. created.Order()], updated, conflicts, unchanged);
    }

    /// <summary>Records the applied document; again only when it changed something or is new.</summary>
    public static async Task RecordAsync(
        CatalogueDb db,
        ClaimsPrincipal release,
        string catalogue,
        ReleaseSummary summary,
        CancellationToken ct
    )
    {
        var row = await db.Releases.FirstOrDefaultAsync(r => r.Document == summary.Document, ct);
        if (row is not null && !summary.ChangedAnything)
            return;
        if (row is null)
        {
            row = new CatalogueRelease
            {
                Document = summary.Document,
                Catalogue = catalogue,
                Summary = summary,
            };
            db.Releases.Add(row);
        }
        row.Summary = summary;
        row.AppliedAt = DateTimeOffset.UtcNow;
        db.Audit(release, "catalogue.released", "catalogue", catalogue, summary);
    }

    static void Remember(
        CatalogueDb db,
        Dictionary<string, ReleasedDefinition> released,
        string code,
        IndicatorDocument definition,
        string label
    )
    {
        if (released.TryGetValue(code, out var row))
        {
            if (!IndicatorChanges.Same(row.Definition, definition))
                (row.Definition, row.Document) = (definition, label);
            return;
        }
        db.ReleasedDefinitions.Add(
            new ReleasedDefinition
            {
                Code = code,
                Definition = definition,
                Document = label,
            }
        );
    }

    /// <summary>
    /// Installs from before releases were recorded: the newest version the seeder itself made of each indicator stands
    /// for the last applied document.
    /// </summary>
    static async Task<Dictionary<string, IndicatorDocument>> EarlierSeedDefinitionsAsync(CatalogueDb db, CancellationToken ct) =>
        (await db.IndicatorVersions.AsNoTracking().Where(v => v.ChangedBy == CatalogueSeeder.LegacySeedClient).ToListAsync(ct))
            .GroupBy(v => v.Code)
            .ToDictionary(g => g.Key, g => g.MaxBy(v => v.Version)!.Definition);
}
