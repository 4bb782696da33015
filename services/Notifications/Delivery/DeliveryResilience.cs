using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Cnh.Notifications.Delivery;

/// <summary>
/// The resilience of one attempt, from <c>Notifications:Delivery</c>: a circuit breaker and a timeout per subscription
/// for webhooks (one department's failing receiver neither opens another's circuit nor holds a worker through its
/// back-off: the retry is the delivery worker's, scheduled in the database), and per mail server for e-mail, tripped
/// only by the server being unreachable, not by a refused address. Every attempt is recorded.
/// </summary>
public static class DeliveryResilience
{
    public static readonly ResiliencePropertyKey<DeliveryAttempts> AttemptsKey = new("cnh.delivery-attempts");
    public static readonly HttpRequestOptionsKey<string> SubscriptionOption = new("cnh.subscription");

    public static void AddDeliveryResilience(this IServiceCollection services)
    {
        // Handlers run in the order they are added: the recording of the attempt outside, then per subscription the
        // circuit breaker and the attempt's timeout — so an attempt refused by an open circuit, or cut by the timeout, is
        // recorded too. The timeout is the resilience handler's; the client itself must not cut in first.
        services.AddTransient<AttemptRecordingHandler>();
        var webhook = services
            .AddHttpClient(WebhookChannel.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            // Only allowed addresses are dialled (checked per connection, against DNS rebinding); a redirect is an answer,
            // not an order to POST the signed body somewhere else; no proxy, which would be dialled instead of the receiver.
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                ConnectCallback = sp.GetRequiredService<WebhookAddresses>().ConnectAsync,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        webhook.AddHttpMessageHandler<AttemptRecordingHandler>();
        webhook
            .AddResilienceHandler("webhook-subscription", (pipeline, context) =>
                pipeline.AddReceiverProtection(Options(context.ServiceProvider), outcome =>
                    outcome.Result is { IsSuccessStatusCode: false } || Unreachable(outcome.Exception)
                )
            )
            .SelectPipelineBy(_ =>
                request =>
                    request.Options.TryGetValue(SubscriptionOption, out var subscription)
                        ? subscription
                        : request.RequestUri?.Authority ?? ""
            );

        services.AddResiliencePipeline<string, string>(EmailChannel.ServerPipeline, (pipeline, context) =>
            pipeline.AddReceiverProtection(Options(context.ServiceProvider), outcome => Unreachable(outcome.Exception))
        );
    }

    static DeliveryOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<DeliveryOptions>>().Value;

    /// <summary>The receiver (or mail server) could not be reached or did not answer in time.</summary>
    static bool Unreachable(Exception? ex) =>
        ex is HttpRequestException or TimeoutRejectedException or IOException or DeliveryFailedException { StatusCode: null };

    static void AddReceiverProtection<T>(
        this ResiliencePipelineBuilder<T> pipeline,
        DeliveryOptions options,
        Func<Outcome<T>, bool> failed
    ) =>
        pipeline
            .AddCircuitBreaker(
                new CircuitBreakerStrategyOptions<T>
                {
                    FailureRatio = 0.8,
                    MinimumThroughput = 5,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = TimeSpan.FromSeconds(options.BreakSeconds),
                    ShouldHandle = args => ValueTask.FromResult(failed(args.Outcome)),
                }
            )
            .AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds));
}
