namespace Cnh.ServiceDefaults;

/// <summary>An event written in the same transaction as the state change that caused it; the dispatcher publishes it.</summary>
public sealed class OutboxMessage
{
    public long Sequence { get; set; }
    public Guid MessageId { get; set; }
    public required string MessageType { get; set; }
    public required string Payload { get; set; }
    public string? TraceParent { get; set; }
    public string? TraceState { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}
