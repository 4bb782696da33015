using System.Globalization;
using System.Threading.RateLimiting;
using Cnh.Contracts;
using Microsoft.AspNetCore.RateLimiting;

namespace Cnh.Gateway.Edge;

public sealed class RateLimitOptions
{
    /// <summary>API requests per client (by its validated token; by IP without one), as a token bucket.</summary>
    public int ApiPermitsPerSecond { get; set; } = 200;
    public int ApiBurst { get; set; } = 400;
    /// <summary>Token requests per IP and client id in a fixed window: slows down secret guessing.</summary>
    public int TokenPermitLimit { get; set; } = 10;
    public int TokenWindowSeconds { get; set; } = 60;
}

/// <summary>Rate limits with 429 problem details and Retry-After.</summary>
public static class RateLimits
{
    public const string ApiPolicy = "per-client";

    public static void AddGatewayRateLimits(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<TokenRateLimiter>();
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                return new ValueTask(TooManyRequests(context.HttpContext, retryAfter).ExecuteAsync(context.HttpContext));
            };
            o.AddPolicy(ApiPolicy, http =>
            {
                var client = http.User.Identity?.IsAuthenticated == true ? http.User.FindFirst(CnhClaims.ClientId)?.Value : null;
                var key = client is not null ? $"client:{client}" : $"ip:{http.Connection.RemoteIpAddress}";
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.ApiBurst,
                    TokensPerPeriod = options.ApiPermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
    }

    public static IResult TooManyRequests(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: $"Slow down; try again in {seconds} s.");
    }
}

/// <summary>
/// The token endpoint's limiter, keyed by IP and client id once the form is read (a policy cannot read the body), so
/// guessing one client's secret does not lock other clients out.
/// </summary>
public sealed class TokenRateLimiter(RateLimitOptions options) : IDisposable
{
    readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.TokenPermitLimit,
            Window = TimeSpan.FromSeconds(options.TokenWindowSeconds),
            QueueLimit = 0,
        }));

    /// <summary>Null when allowed, otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(HttpContext http, string? clientId)
    {
        using var lease = _limiter.AttemptAcquire($"{http.Connection.RemoteIpAddress}|{clientId}");
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(options.TokenWindowSeconds);
    }

    public void Dispose() => _limiter.Dispose();
}
