using Cnh.Catalogue.Data;
using Cnh.Catalogue.Indicators;
using Cnh.Contracts;
using Cnh.ServiceDefaults;
using MassTransit;

namespace Cnh.Catalogue.Inbound;

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
