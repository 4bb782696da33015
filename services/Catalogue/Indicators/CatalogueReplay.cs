using Cnh.Catalogue.Data;
using Cnh.Catalogue.Departments;
using Cnh.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Catalogue.Indicators;

public static class CatalogueReplay
{
    /// <summary>
    /// Puts a <c>DepartmentDefined</c> for every department and an <c>IndicatorDefined</c> for every indicator in the
    /// outbox; replicas keep the highest version (departments, the latest event).
    /// </summary>
    public static async Task<int> EnqueueAllAsync(CatalogueDb db, CancellationToken ct)
    {
        foreach (var department in await db.Departments.AsNoTracking().ToListAsync(ct))
            db.AddOutboxEvent(department.ToDefinedEvent());
        var all = await db.Indicators.AsNoTracking().ToListAsync(ct);
        foreach (var indicator in all)
            db.AddOutboxEvent(indicator.ToDefinedEvent());
        return all.Count;
    }
}
