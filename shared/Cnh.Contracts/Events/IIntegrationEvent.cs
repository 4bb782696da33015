namespace Cnh.Contracts;

/// <summary>
/// Every event carries a unique id (consumers deduplicate on it in their inbox) and when it happened. Events are
/// published through each service's outbox, in the transaction that made them true.
/// </summary>
public interface IIntegrationEvent
{
    Guid EventId { get; }
    DateTimeOffset OccurredAt { get; }
}
