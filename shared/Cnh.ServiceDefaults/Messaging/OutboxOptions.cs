namespace Cnh.ServiceDefaults;

/// <summary>Section <c>Outbox</c>: how the relay publishes what the service committed.</summary>
public sealed class OutboxOptions
{
    /// <summary>
    /// After a commit wakes the relay, it waits this long before claiming rows, so that the commits of the next moments
    /// go out in the same claim: one claim, one mark and one commit for several events instead of for each. Not when the
    /// last claim was full (a backlog goes out at once). On a small virtual machine every wake-up is dear: at 100
    /// submissions/s, 50 ms took a fifth off the platform's CPU per submission, and latency fell with the load
    /// (docs/benchmarks.md).
    /// </summary>
    public int LingerMilliseconds { get; set; } = 50;

    /// <summary>How often the relay looks for rows no commit woke it for (another instance's, or from before a restart).</summary>
    public int PollMilliseconds { get; set; } = 1000;
}
