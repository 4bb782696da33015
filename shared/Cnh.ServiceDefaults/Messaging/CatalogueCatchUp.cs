using Cnh.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cnh.ServiceDefaults;

/// <summary>
/// A service that keeps a replica of the catalogue asks for the whole catalogue at every start, through its outbox:
/// definitions published while it was down, or before its queue existed, reach it this way.
/// </summary>
public sealed class CatalogueCatchUp<TDb>(IServiceScopeFactory scopes, string serviceName) : IHostedService
    where TDb : DbContext, IMessagingDbContext
{
    public async Task StartAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        db.AddOutboxEvent(new CatalogueReplayRequested(Guid.NewGuid(), DateTimeOffset.UtcNow, serviceName));
        await db.SaveChangesAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
