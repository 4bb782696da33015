namespace Cnh.ServiceDefaults;

/// <summary>One row per consumed event, written in the consumer's transaction: a redelivery finds it and does nothing.</summary>
public sealed class ProcessedMessage
{
    public required string Consumer { get; set; }
    public Guid MessageId { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}
