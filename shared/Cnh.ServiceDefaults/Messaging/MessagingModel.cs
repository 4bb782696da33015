using System.Diagnostics;
using System.Text.Json;
using Cnh.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Cnh.ServiceDefaults;

public static class MessagingModel
{
    internal static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    public static void AddMessagingTables(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Sequence);
            e.Property(m => m.Sequence).UseIdentityAlwaysColumn();
            e.HasIndex(m => m.MessageId).IsUnique();
            e.Property(m => m.Payload).HasColumnType("jsonb");
            e.HasIndex(m => m.Sequence).HasFilter("sent_at IS NULL").HasDatabaseName("ix_outbox_messages_unsent");
        });
        modelBuilder.Entity<ProcessedMessage>(e =>
        {
            e.ToTable("processed_messages");
            e.HasKey(m => new { m.Consumer, m.MessageId });
        });
    }

    /// <summary>Adds an event to the outbox of the current unit of work, remembering the trace it belongs to.</summary>
    public static void AddOutboxEvent<TEvent>(this IMessagingDbContext db, TEvent message)
        where TEvent : class, IIntegrationEvent => db.OutboxMessages.Add(NewOutboxMessage(message));

    /// <summary>The outbox row of an event, for a writer that inserts it itself.</summary>
    public static OutboxMessage NewOutboxMessage<TEvent>(TEvent message)
        where TEvent : class, IIntegrationEvent
    {
        var activity = Activity.Current;
        return new OutboxMessage
        {
            MessageId = message.EventId,
            MessageType = typeof(TEvent).FullName!,
            Payload = JsonSerializer.Serialize(message, PayloadJson),
            TraceParent = activity?.Id,
            TraceState = activity?.TraceStateString,
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>
    /// Returns false when this consumer already processed the event; otherwise records it in the current unit of
    /// work, so that it commits (or rolls back) together with the state change.
    /// </summary>
    public static async Task<bool> TryBeginProcessingAsync(this IMessagingDbContext db, string consumer, Guid eventId, CancellationToken ct)
    {
        if (await db.ProcessedMessages.AnyAsync(p => p.Consumer == consumer && p.MessageId == eventId, ct))
            return false;
        db.ProcessedMessages.Add(
            new ProcessedMessage
            {
                Consumer = consumer,
                MessageId = eventId,
                ProcessedAt = DateTimeOffset.UtcNow,
            }
        );
        return true;
    }

    internal static Type? ResolveEventType(string name) => typeof(IIntegrationEvent).Assembly.GetType(name, throwOnError: false);
}
