using Cnh.Catalogue.Data;
using Cnh.Contracts;
using Cnh.ServiceDefaults;
using MassTransit;
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

/// <summary>A replica that starts (or finds itself empty) asks for the whole catalogue.</summary>
public sealed class CatalogueReplayRequestedConsumer(CatalogueDb db, ILogger<CatalogueReplayRequestedConsumer> logger) : IConsumer<CatalogueReplayRequested>
{
    public async Task Consume(ConsumeContext<CatalogueReplayRequested> context)
    {
        var ct = context.CancellationToken;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.TryBeginProcessingAsync(nameof(CatalogueReplayRequestedConsumer), context.Message.EventId, ct)) return;
        var count = await CatalogueReplay.EnqueueAllAsync(db, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Republished {Count} indicators for {Requester}", count, context.Message.RequestedBy);
    }
}

public sealed class CatalogueReplayRequestedConsumerDefinition : RetryingConsumerDefinition<CatalogueReplayRequestedConsumer>;
