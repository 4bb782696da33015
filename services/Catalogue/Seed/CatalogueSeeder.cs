using System.Security.Claims;
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
/// indicator with its first version and an <c>IndicatorDefined</c> in the outbox. Existing rows are left alone (an
/// administrator's edits win), so a restart, or a second replica starting at once, changes nothing.
/// </summary>
public sealed class CatalogueSeeder(IServiceProvider services, IConfiguration configuration, ILogger<CatalogueSeeder> logger)
    : IHostedService
{
    static readonly ClaimsPrincipal Seed = new(
        new ClaimsIdentity([new Claim(CnhClaims.ClientId, "system:seed"), new Claim(CnhClaims.Role, "system")])
    );

    public async Task StartAsync(CancellationToken ct)
    {
        var options = configuration.GetSection("Catalogue:Seed").Get<SeedOptions>() ?? new SeedOptions();
        var path = Path.IsPathRooted(options.File) ? options.File : Path.Combine(AppContext.BaseDirectory, options.File);
        await using var stream = File.OpenRead(path);
        var document = await JsonSerializer.DeserializeAsync<CatalogueDocument>(stream, JsonSerializerOptions.Web, ct)
            ?? throw new InvalidOperationException($"Seed catalogue {path} is empty");

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
        var summary = await CatalogueTransfer.ApplyAsync(db, Seed, document, overwrite: false, ct);
        await BackfillVersionHistoryAsync(db, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation(
            "Seed catalogue {Catalogue}: {Added} indicators added, {Existing} already present",
            document.Catalogue,
            summary.Created.Count,
            summary.Unchanged.Count
        );
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
                    ChangedBy = "system:seed",
                    ChangedAt = i.UpdatedAt,
                }
            );
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
