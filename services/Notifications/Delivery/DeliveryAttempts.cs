using Cnh.Notifications.Data;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Notifications.Delivery;

/// <summary>
/// The attempt of one send, numbered on from those its deliveries already had, recorded (outcome, status code, error,
/// duration) against every delivery the message carries.
/// </summary>
public sealed class DeliveryAttempts(
    IReadOnlyList<Guid> recordOn,
    int soFar,
    IServiceScopeFactory scopes,
    CancellationToken stopping,
    ILogger? logger = null
)
{
    /// <summary>What a subscriber reads of a connection failure: whether it got through, not what is behind the platform.</summary>
    public const string Unreachable = "The receiver could not be reached.";

    /// <summary>How a channel finds the attempts of the message it is sending (webhooks: the request's options).</summary>
    public static readonly HttpRequestOptionsKey<DeliveryAttempts> RequestOption = new("cnh.delivery-attempts");

    int _count = soFar;

    /// <summary>An attempt's failure as the subscriber may read it.</summary>
    public static string Describe(Exception ex) =>
        ex switch
        {
            Polly.Timeout.TimeoutRejectedException or OperationCanceledException => "The attempt timed out.",
            Polly.CircuitBreaker.BrokenCircuitException => "Not tried: the receiver failed too often.",
            WebhookAddressRefusedException => ex.Message,
            HttpRequestException { InnerException: WebhookAddressRefusedException refused } => refused.Message,
            HttpRequestException or System.Net.Sockets.SocketException or IOException => Unreachable,
            _ => ex.Message,
        };

    public int Count => _count;

    /// <summary>Runs one attempt and records it, whether it succeeds, fails or times out.</summary>
    public async Task<T> RecordAsync<T>(Func<Task<T>> attempt, Func<T, (bool Succeeded, int? Status, string? Error)> judge)
    {
        var number = Interlocked.Increment(ref _count);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        T result;
        try
        {
            result = await attempt();
        }
        // An attempt cut short by shutdown is no attempt: the delivery is handed back and resumes after the restart.
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            var error = Describe(ex);
            if (error != ex.Message)
                logger?.LogInformation("Delivery attempt {Number} of {Deliveries} failed: {Detail}", number, recordOn, ex.Message);
            await SaveAsync(number, false, (ex as DeliveryFailedException)?.StatusCode, error, started);
            throw;
        }
        var (succeeded, status, failure) = judge(result);
        await SaveAsync(number, succeeded, status, failure, started);
        return result;
    }

    async Task SaveAsync(int number, bool succeeded, int? status, string? error, long started)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDb>();
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        foreach (var id in recordOn)
            db.Attempts.Add(
                new DeliveryAttempt
                {
                    DeliveryId = id,
                    Number = number,
                    At = DateTimeOffset.UtcNow,
                    Succeeded = succeeded,
                    StatusCode = status,
                    Error = error?[..Math.Min(error.Length, 1000)],
                    DurationMs = elapsed,
                }
            );
        await db.SaveChangesAsync(CancellationToken.None);
        await db
            .Deliveries.Where(d => recordOn.Contains(d.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Attempts, number).SetProperty(d => d.LastError, error), CancellationToken.None);
        DeliveryMetrics.Attempts.Add(1, new KeyValuePair<string, object?>("succeeded", succeeded));
    }
}

/// <summary>
/// Innermost handler of the webhook client, below the resilience handler: it sees every attempt the retry makes and
/// records it.
/// </summary>
public sealed class AttemptRecordingHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.Options.TryGetValue(DeliveryAttempts.RequestOption, out var attempts)
            ? attempts.RecordAsync(
                () => base.SendAsync(request, cancellationToken),
                response =>
                    response.IsSuccessStatusCode
                        ? (true, (int)response.StatusCode, null)
                        : (false, (int)response.StatusCode, $"Webhook answered {(int)response.StatusCode}")
            )
            : base.SendAsync(request, cancellationToken);
}
