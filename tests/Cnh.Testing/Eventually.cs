using System.Text.Json;

namespace Cnh.Testing;

public static class Eventually
{
    /// <summary>
    /// Polls until the condition holds and returns the value that met it; fails the test with the last value when the
    /// time (30 s unless told) is up. For what the platform does in the background: scoring, relays, deliveries.
    /// </summary>
    public static async Task<T> Async<T>(
        Func<Task<T>> probe,
        Func<T, bool> done,
        TimeSpan? timeout = null,
        string? what = null,
        Func<T, string>? describe = null
    )
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        T last = await probe();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what ?? "condition"}; last value: {(describe ?? Describe)(last)}");
            await Task.Delay(200);
            last = await probe();
        }
        return last;
    }

    static string Describe<T>(T value) => value is JsonElement json ? json.ToString() : value?.ToString() ?? "null";
}
