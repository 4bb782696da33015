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

    /// <summary>Deliveries of one department's subscriptions in flight at once, whatever its receivers do.</summary>
    public int MaxConcurrentPerDepartment { get; set; } = 3;

    /// <summary>Subscriptions a department may have (leadership's are the admins' and not counted).</summary>
    public int MaxSubscriptionsPerDepartment { get; set; } = 10;

    /// <summary>How long a claimed delivery belongs to the worker that claimed it: longer than one attempt can take.</summary>
    public TimeSpan Lease => TimeSpan.FromSeconds(AttemptTimeoutSeconds * 2 + 5);

    /// <summary>The wait before the next attempt after <paramref name="attempts"/>: exponential, capped, with ±20 % jitter.</summary>
    public TimeSpan Backoff(int attempts) =>
        TimeSpan.FromMilliseconds(
            Math.Min(MaxDelayMilliseconds, BaseDelayMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1)))
                * (0.8 + Random.Shared.NextDouble() * 0.4)
        );
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
