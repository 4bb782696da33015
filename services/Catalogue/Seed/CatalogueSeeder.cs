using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Cnh.Catalogue.Data;
using Cnh.Catalogue.Documents;
using Cnh.Catalogue.Transfer;
using Cnh.Contracts;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Catalogue.Seed;

public sealed class SeedOptions
{
    public string File { get; set; } = "Seed/hanoi-cnh-hdh-2030.json";
}

/// <summary>
/// Loads the seed catalogue at start: groups, departments and indicators that are not there yet are added, each new
/// indicator with its first version and an <c>IndicatorDefined</c> in the outbox. A newer seed document, shipped with a
/// release, changes the indicators it changed as new versions — never one an administrator changed meanwhile
/// (<see cref="CatalogueReleases"/>). A restart, or a second replica starting at once, changes nothing.
/// </summary>
public sealed class CatalogueSeeder(IServiceProvider services, IConfiguration configuration, ILogger<CatalogueSeeder> logger)
    : IHostedService
{
    /// <summary>Who made the versions of installs seeded before releases were recorded.</summary>
    public const string LegacySeedClient = "system:seed";

    public async Task StartAsync(CancellationToken ct)
    {
        var options = configuration.GetSection("Catalogue:Seed").Get<SeedOptions>() ?? new SeedOptions();
        var path = Path.IsPathRooted(options.File) ? options.File : Path.Combine(AppContext.BaseDirectory, options.File);
        var bytes = await File.ReadAllBytesAsync(path, ct);
        var document = JsonSerializer.Deserialize<CatalogueDocument>(bytes, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"Seed catalogue {path} is empty");
        // The document's name and content: the same file shipped twice is one release, an edited one another.
        var label = $"{Path.GetFileName(path)}@{Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]}";
        var release = new ClaimsPrincipal(
            new ClaimsIdentity([new Claim(CnhClaims.ClientId, $"release:{label}"), new Claim(CnhClaims.Role, "system")])
        );

        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogueDb>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One seeder (or import) at a time across replicas; the lock ends with the transaction.
        await db.Database.LockAsync("catalogue", "import", ct);
        var errors = await CatalogueTransfer.ValidateAsync(db, document, ct);
        if (errors.Count > 0)
            throw new InvalidOperationException(
                $"Seed catalogue {path} is invalid: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}"
            );
        await BackfillVersionHistoryAsync(db, ct);
        var added = await CatalogueTransfer.ApplyAsync(db, release, document, overwrite: false, ct, source: label);
        var summary = await CatalogueReleases.ApplyAsync(db, release, label, document, added.Created, ct);
        await CatalogueReleases.RecordAsync(db, release, document.Catalogue, summary, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation(
            "Seed catalogue {Document}: {Created} indicators added, {Updated} changed by the release, {Unchanged} unchanged",
            label,
            summary.Created.Count,
            summary.Updated.Count,
            summary.Unchanged
        );
        foreach (var conflict in summary.Conflicts)
            logger.LogWarning("Seed catalogue {Document} left {Indicator} as it is: {Reason}", label, conflict.Code, conflict.Reason);
    }

    /// <summary>Indicators stored before versions were kept get their current definition as the first entry.</summary>
    static async Task BackfillVersionHistoryAsync(CatalogueDb db, CancellationToken ct)
    {
        var missing = await db
            .Indicators.AsNoTracking()
            .Where(i => !db.IndicatorVersions.Any(v => v.Code == i.Code && v.Version == i.Version))
            .ToListAsync(ct);
        foreach (var i in missing)
            db.IndicatorVersions.Add(
                new IndicatorVersion
                {
                    Code = i.Code,
                    Version = i.Version,
                    Definition = Indicators.IndicatorMapping.ToDocument(i),
                    Retired = i.Retired,
                    Change = "recorded",
                    ChangedBy = LegacySeedClient,
                    ChangedAt = i.UpdatedAt,
                }
            );
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
