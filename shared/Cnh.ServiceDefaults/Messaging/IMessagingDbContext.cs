using Microsoft.EntityFrameworkCore;

namespace Cnh.ServiceDefaults;

/// <summary>A DbContext that owns an outbox and a processed-message (inbox) table.</summary>
public interface IMessagingDbContext
{
    DbSet<OutboxMessage> OutboxMessages { get; }
    DbSet<ProcessedMessage> ProcessedMessages { get; }
}
