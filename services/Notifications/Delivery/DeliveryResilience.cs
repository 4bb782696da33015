using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Cnh.Notifications.Delivery;

/// <summary>
/// The resilience of every send, from <c>Notifications:Delivery</c>: retries with jittered exponential back-off for
/// the attempts a delivery has left, a circuit breaker per receiver (one failing receiver does not slow the others
/// down), and a timeout per attempt. Webhooks get it as the HttpClient's resilience handler, email as a pipeline.
/// </summary>
public static class DeliveryResilience
{
    public static readonly ResiliencePropertyKey<DeliveryAttempts> AttemptsKey = new("cnh.delivery-attempts");

    public static void AddDeliveryResilience(this IServiceCollection services)
    {
        // Handlers run in the order they are added: outermost the retry, then the recording of each attempt, then per
        // receiver the circuit breaker and the attempt's timeout — so an attempt refused by an open circuit, or cut by
        // the timeout, is recorded too. The timeout is the resilience handler's; the client itself must not cut in first.
        services.AddTransient<AttemptRecordingHandler>();
        var webhook = services.AddHttpClient(WebhookChannel.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            // Only allowed addresses are dialled (checked per connection, against DNS rebinding); a redirect is an answer,
            // not an order to POST the signed body somewhere else; no proxy, which would be dialled instead of the receiver.
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                ConnectCallback = sp.GetRequiredService<WebhookAddresses>().ConnectAsync,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        webhook.AddResilienceHandler("webhook-retry", (pipeline, context) => pipeline.AddDeliveryRetry(Options(context.ServiceProvider),
            outcome => outcome.Result is { IsSuccessStatusCode: false },
            ctx => ctx.GetRequestMessage()?.Options.TryGetValue(DeliveryAttempts.RequestOption, out var a) == true ? a : null));
        webhook.AddHttpMessageHandler<AttemptRecordingHandler>();
        webhook.AddResilienceHandler("webhook-receiver", (pipeline, context) => pipeline.AddReceiverProtection(Options(context.ServiceProvider),
                outcome => outcome.Result is { IsSuccessStatusCode: false }))
            .SelectPipelineByAuthority();

        services.AddResiliencePipeline<string, string>(EmailChannel.RetryPipeline, (pipeline, context) =>
            pipeline.AddDeliveryRetry(Options(context.ServiceProvider), _ => false,
                ctx => ctx.Properties.TryGetValue(AttemptsKey, out var a) ? a : null));
        services.AddResiliencePipeline<string, string>(EmailChannel.ServerPipeline, (pipeline, context) =>
            pipeline.AddReceiverProtection(Options(context.ServiceProvider), _ => false));
    }

    static DeliveryOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<DeliveryOptions>>().Value;

    static bool Failed<T>(Outcome<T> outcome, Func<Outcome<T>, bool> failedAnswer) => failedAnswer(outcome)
        || outcome.Exception is DeliveryFailedException or HttpRequestException or TimeoutRejectedException or BrokenCircuitException or IOException;

    static void AddDeliveryRetry<T>(this ResiliencePipelineBuilder<T> pipeline, DeliveryOptions options,
        Func<Outcome<T>, bool> failedAnswer, Func<ResilienceContext, DeliveryAttempts?> attemptsOf) => pipeline.AddRetry(new RetryStrategyOptions<T>
    {
        // The real cap is the delivery's (MayRetry): MaxAttempts in all, counting attempts made before a restart or takeover.
        MaxRetryAttempts = Math.Max(1, options.MaxAttempts),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromMilliseconds(options.BaseDelayMilliseconds),
        MaxDelay = TimeSpan.FromMilliseconds(options.MaxDelayMilliseconds),
        ShouldHandle = args => ValueTask.FromResult(Failed(args.Outcome, failedAnswer) && attemptsOf(args.Context) is { MayRetry: true }),
    });

    static void AddReceiverProtection<T>(this ResiliencePipelineBuilder<T> pipeline, DeliveryOptions options, Func<Outcome<T>, bool> failedAnswer) => pipeline
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions<T>
        {
            FailureRatio = 0.8,
            MinimumThroughput = 5,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(options.BreakSeconds),
            ShouldHandle = args => ValueTask.FromResult(Failed(args.Outcome, failedAnswer)),
        })
        .AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds));
}
