using Cnh.Catalogue.Data;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Catalogue.Indicators;

public static class CatalogueReplay
{
    /// <summary>Puts an <c>IndicatorDefined</c> for every indicator in the outbox; replicas keep the highest version.</summary>
    public static async Task<int> EnqueueAllAsync(CatalogueDb db, CancellationToken ct)
    {
        var all = await db.Indicators.AsNoTracking().ToListAsync(ct);
        foreach (var indicator in all) db.AddOutboxEvent(indicator.ToDefinedEvent());
        return all.Count;
    }
}
