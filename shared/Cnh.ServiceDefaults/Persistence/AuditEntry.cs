namespace Cnh.ServiceDefaults;

/// <summary>
/// Who did what, when, from which client. Rows are written in the same transaction as the change they describe and
/// can never be updated or deleted: a trigger refuses it (see <see cref="AuditModel.ImmutableTriggerSql"/>).
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Action { get; set; }
    public required string Entity { get; set; }
    public required string EntityKey { get; set; }
    public required string ClientId { get; set; }
    public required string Role { get; set; }
    public string? Department { get; set; }
    public string? TraceId { get; set; }
    public string? Details { get; set; }
}
