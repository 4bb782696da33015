namespace Cnh.Notifications.Delivery;

/// <summary><c>Notifications:Delivery</c>.</summary>
public sealed class DeliveryOptions
{
    public int MaxAttempts { get; set; } = 6;
    public int BaseDelayMilliseconds { get; set; } = 1000;
    public int MaxDelayMilliseconds { get; set; } = 60_000;
    public int AttemptTimeoutSeconds { get; set; } = 10;
    /// <summary>How long an endpoint's circuit stays open after it failed too often.</summary>
    public int BreakSeconds { get; set; } = 30;
    public int PollMilliseconds { get; set; } = 500;
    public int BatchSize { get; set; } = 10;
    /// <summary>How often a digest subscription gets its one message (a day by default).</summary>
    public int DigestIntervalSeconds { get; set; } = 86_400;

    /// <summary>
    /// How long a claimed delivery belongs to the worker that claimed it: longer than all its attempts and waits can
    /// take, so that only a crashed worker's deliveries are taken over.
    /// </summary>
    public TimeSpan Lease => TimeSpan.FromSeconds(MaxAttempts * AttemptTimeoutSeconds)
        // the back-off before each retry, with room for jitter
        + TimeSpan.FromMilliseconds(Enumerable.Range(0, Math.Max(0, MaxAttempts - 1))
            .Sum(i => Math.Min(MaxDelayMilliseconds, BaseDelayMilliseconds * Math.Pow(2, i)) * 1.5))
        + TimeSpan.FromSeconds(2);
}

/// <summary><c>Notifications:Smtp</c>.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 25;
    public string From { get; set; } = "cnh-platform@localhost";
    public bool EnableSsl { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
}
