using System.Text.Json;
using Cnh.Catalogue.Data;
using Cnh.Catalogue.Indicators;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Catalogue.Seed;

public sealed class SeedOptions
{
    public string File { get; set; } = "Seed/hanoi-cnh-hdh-2030.json";
}

/// <summary>
/// Loads the seed catalogue at start: groups, departments and indicators that are not there yet are inserted, with an
/// <c>IndicatorDefined</c> in the outbox for each new indicator. Existing rows are left alone (an administrator's edits
/// win), so a restart, or a second replica starting at once, changes nothing.
/// </summary>
public sealed class CatalogueSeeder(IServiceProvider services, IConfiguration configuration, ILogger<CatalogueSeeder> logger) : IHostedService
{
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
        // One seeder at a time across replicas; the lock ends with the transaction.
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('cnh-catalogue-seed'))", ct);

        var groups = await db.Groups.Select(g => g.Code).ToHashSetAsync(ct);
        var order = 0;
        foreach (var g in document.Groups)
        {
            order++;
            if (!groups.Contains(g.Code))
                db.Groups.Add(new Group { Code = g.Code, NameVi = g.NameVi, NameEn = g.NameEn, ExpectedCount = g.ExpectedCount, SortOrder = order });
        }
        var departments = await db.Departments.Select(d => d.Code).ToHashSetAsync(ct);
        foreach (var d in document.Departments.Where(d => !departments.Contains(d.Code)))
            db.Departments.Add(new Department { Code = d.Code, NameVi = d.NameVi, NameEn = d.NameEn });

        var indicators = await db.Indicators.Select(i => i.Code).ToHashSetAsync(ct);
        var added = 0;
        foreach (var doc in document.Indicators.Where(i => !indicators.Contains(i.Code)))
        {
            var indicator = IndicatorMapping.FromDocument(document.Catalogue, doc);
            indicator.Version = 1;
            indicator.UpdatedAt = DateTimeOffset.UtcNow;
            db.Indicators.Add(indicator);
            db.AddOutboxEvent(indicator.ToDefinedEvent());
            added++;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Seed catalogue {Catalogue}: {Added} indicators added, {Existing} already present",
            document.Catalogue, added, indicators.Count);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
