using System.Security.Claims;
using System.Text.Json;
using Cnh.Catalogue.Data;
using Cnh.Catalogue.Documents;
using Cnh.ServiceDefaults;

namespace Cnh.Catalogue.Indicators;

/// <summary>
/// The one way an indicator changes: a new version, its snapshot in the history, an <c>IndicatorDefined</c> in the
/// outbox and an audit entry, all in the caller's unit of work. The same definition again is not a change.
/// </summary>
public static class IndicatorChanges
{
    public static Indicator? Apply(
        CatalogueDb db,
        ClaimsPrincipal user,
        Indicator? existing,
        Indicator proposed,
        string change,
        string? document = null
    )
    {
        if (existing is not null && SameDefinition(existing, proposed))
            return null;
        proposed.Version = (existing?.Version ?? 0) + 1;
        proposed.UpdatedAt = DateTimeOffset.UtcNow;
        if (existing is null)
        {
            db.Indicators.Add(proposed);
            existing = proposed;
        }
        else
        {
            // The row's version stays the concurrency token: a change made meanwhile makes this save fail.
            db.Entry(existing).CurrentValues.SetValues(proposed);
            existing.Targets = proposed.Targets;
            existing.CoordinatingDepartments = proposed.CoordinatingDepartments;
        }
        db.IndicatorVersions.Add(
            new IndicatorVersion
            {
                Code = existing.Code,
                Version = existing.Version,
                Definition = existing.ToDocument(),
                Retired = existing.Retired,
                Change = change,
                ChangedBy = user.ClientId(),
                ChangedAt = existing.UpdatedAt,
                Document = document,
            }
        );
        db.AddOutboxEvent(existing.ToDefinedEvent());
        db.Audit(
            user,
            $"indicator.{change}",
            "indicator",
            existing.Code,
            new
            {
                existing.Version,
                existing.Retired,
                Document = document,
                Definition = existing.ToDocument(),
            }
        );
        return existing;
    }

    /// <summary>A copy to change, so that the tracked row keeps its values until <see cref="Apply"/> decides.</summary>
    public static Indicator Copy(Indicator i)
    {
        var copy = IndicatorMapping.FromDocument(i.Catalogue, i.ToDocument());
        copy.Retired = i.Retired;
        return copy;
    }

    static bool SameDefinition(Indicator a, Indicator b) => Same(a.ToDocument(), b.ToDocument()) && a.Retired == b.Retired;

    /// <summary>Two definitions say the same, compared in the form they are stored in.</summary>
    public static bool Same(IndicatorDocument a, IndicatorDocument b) => JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);
}
