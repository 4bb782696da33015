using MassTransit.Testing;

namespace Cnh.Testing;

/// <summary>
/// Waits on what the service consumed and published by polling the harness's lists: the outbox publishes after a
/// commit, on its own schedule, which the harness's inactivity timer cannot see coming.
/// </summary>
public static class HarnessExtensions
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>How many matching messages were consumed, once there are <paramref name="times"/> (or after 30 s).</summary>
    public static Task<int> ConsumedCountAsync<T>(this ITestHarness harness, Func<T, bool> match, int times)
        where T : class => WaitForAsync(() => harness.Consumed.Select<T>(x => match(x.Context.Message)).Count(), times, Timeout);

    /// <summary>How many matching messages were published, once there are <paramref name="times"/> (or after 30 s).</summary>
    public static Task<int> PublishedCountAsync<T>(this ITestHarness harness, Func<T, bool> match, int times = 1)
        where T : class => WaitForAsync(() => harness.Published.Select<T>(x => match(x.Context.Message)).Count(), times, Timeout);

    /// <summary>How many matching messages were published within <paramref name="wait"/>: for "nothing was published".</summary>
    public static Task<int> PublishedWithinAsync<T>(this ITestHarness harness, Func<T, bool> match, TimeSpan wait)
        where T : class => WaitForAsync(() => harness.Published.Select<T>(x => match(x.Context.Message)).Count(), int.MaxValue, wait);

    static async Task<int> WaitForAsync(Func<int> count, int times, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        int seen;
        while ((seen = count()) < times && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        return seen;
    }
}
