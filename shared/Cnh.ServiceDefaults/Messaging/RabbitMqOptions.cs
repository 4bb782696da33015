namespace Cnh.ServiceDefaults;

public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "cnh";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";

    /// <summary>
    /// The nodes of a RabbitMQ cluster, "host:port" separated by commas (Host and Port are then ignored): the service
    /// connects to the first that answers and to another when that one goes down.
    /// </summary>
    public string? ClusterNodes { get; set; }

    /// <summary>A file holding the password instead (docker-compose's per-service secret); read at start.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>
    /// Messages a service handles at once per queue. MassTransit's default follows the core count (a handful on a small
    /// machine); consumers here mostly wait on commits, and PostgreSQL commits many waiting transactions with one flush.
    /// 1 processes a queue in order.
    /// </summary>
    public int ConcurrentMessageLimit { get; set; } = 16;

    /// <summary>Redeliveries of a failing message, with exponential back-off between these bounds, before its _error queue.</summary>
    public int RetryLimit { get; set; } = 8;
    public int RetryMinMilliseconds { get; set; } = 100;
    public int RetryMaxMilliseconds { get; set; } = 10_000;
}
