using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace Cnh.Notifications.Delivery;

/// <summary>
/// Polly around every send: per endpoint a circuit breaker (one failing receiver does not slow the others down) and
/// a per-attempt timeout; per delivery a retry with jittered exponential back-off for the attempts it has left.
/// </summary>
public sealed class DeliveryPipelines(IOptions<DeliveryOptions> options)
{
    readonly ResiliencePipelineRegistry<string> _endpoints = new();

    public ResiliencePipeline Endpoint(string key) => _endpoints.GetOrAddPipeline(key, builder => builder
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = 0.8,
            MinimumThroughput = 5,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(options.Value.BreakSeconds),
        })
        .AddTimeout(TimeSpan.FromSeconds(options.Value.AttemptTimeoutSeconds)));

    public ResiliencePipeline Retry(int attemptsLeft) => attemptsLeft <= 1
        ? ResiliencePipeline.Empty
        : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = attemptsLeft - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(options.Value.BaseDelayMilliseconds),
            MaxDelay = TimeSpan.FromMilliseconds(options.Value.MaxDelayMilliseconds),
            ShouldHandle = new PredicateBuilder().Handle<DeliveryFailedException>().Handle<HttpRequestException>()
                .Handle<TimeoutRejectedException>().Handle<BrokenCircuitException>().Handle<System.Net.Mail.SmtpException>()
                .Handle<IOException>(),
        }).Build();
}
