using Cnh.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Cnh.ServiceDefaults;

/// <summary>
/// The one inbox pattern: a consumer whose effect must happen once per event derives from this and only says what the
/// event changes. The inbox row (consumer, event id), the changes and the events they publish (outbox) commit in one
/// transaction; a redelivered event finds its row and changes nothing. Consumers that are idempotent by nature (a
/// replica kept at the highest version, a status set to the same value) need no inbox and say so.
/// </summary>
public abstract class InboxConsumer<TDb, TEvent>(TDb db) : IConsumer<TEvent>
    where TDb : DbContext, IMessagingDbContext
    where TEvent : class, IIntegrationEvent
{
    protected TDb Db => db;

    /// <summary>The consumer's name in <c>processed_messages</c>: its type's name (a rename would let old events run again).</summary>
    protected virtual string InboxName => GetType().Name;

    public async Task Consume(ConsumeContext<TEvent> context)
    {
        var ct = context.CancellationToken;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.TryBeginProcessingAsync(InboxName, context.Message.EventId, ct))
            return;
        await HandleAsync(context.Message, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>What the event changes, in <see cref="Db"/>; saved and committed with the inbox row.</summary>
    protected abstract Task HandleAsync(TEvent message, CancellationToken ct);
}
