using Cnh.Catalogue.Data;
using Cnh.Catalogue.Indicators;
using Cnh.Contracts;
using Cnh.ServiceDefaults;

namespace Cnh.Catalogue.Inbound;

/// <summary>A replica that starts (or finds itself empty) asks for the whole catalogue.</summary>
public sealed class CatalogueReplayRequestedConsumer(CatalogueDb db, ILogger<CatalogueReplayRequestedConsumer> logger)
    : InboxConsumer<CatalogueDb, CatalogueReplayRequested>(db)
{
    protected override async Task HandleAsync(CatalogueReplayRequested message, CancellationToken ct)
    {
        var count = await CatalogueReplay.EnqueueAllAsync(Db, ct);
        logger.LogInformation("Republished {Count} indicators for {Requester}", count, message.RequestedBy);
    }
}

public sealed class CatalogueReplayRequestedConsumerDefinition : RetryingConsumerDefinition<CatalogueReplayRequestedConsumer>;
