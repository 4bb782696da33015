using System.Globalization;
using System.Threading.RateLimiting;
using Cnh.Contracts;

namespace Cnh.Gateway.Edge;

public sealed class RateLimitOptions
{
    /// <summary>API requests per client (by its validated token; by IP without one), as a token bucket.</summary>
    public int ApiPermitsPerSecond { get; set; } = 200;
    public int ApiBurst { get; set; } = 400;

    /// <summary>Token requests per IP and client id in a fixed window: slows down secret guessing.</summary>
    public int TokenPermitLimit { get; set; } = 10;
    public int TokenWindowSeconds { get; set; } = 60;

    /// <summary>
    /// Failed token requests per IP in that window, whatever the client id: each costs a PBKDF2 hash, so ever-new
    /// client ids must not buy unlimited CPU. Once used up, the IP gets no token until the window ends.
    /// </summary>
    public int FailedTokenRequestsPerWindow { get; set; } = 60;

    /// <summary>Requests per IP to what answers without a token: health, metadata, API documents, the token server.</summary>
    public int AnonymousPermitsPerSecond { get; set; } = 20;
    public int AnonymousBurst { get; set; } = 100;
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
        builder.Services.AddSingleton<AnonymousRateLimiter>();
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, ct) =>
            {
                var retryAfter = RetryAfter(context.Lease, TimeSpan.FromSeconds(1));
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

    /// <summary>How long the limiter says to wait, or <paramref name="otherwise"/> when it does not say.</summary>
    public static TimeSpan RetryAfter(RateLimitLease lease, TimeSpan otherwise) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : otherwise;

    public static IResult TooManyRequests(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            detail: $"Slow down; try again in {seconds} s."
        );
    }
}

/// <summary>
/// Limits for what answers without a token (health, <c>/.well-known</c>, <c>/openapi</c>, <c>/api/docs</c>, <c>/auth</c>),
/// per IP. It runs before authentication, because OpenIddict answers its endpoints there, before any endpoint policy.
/// </summary>
public sealed class AnonymousRateLimiter(RateLimitOptions options, TokenRateLimiter tokens) : IDisposable
{
    static readonly PathString[] AnonymousPaths = ["/health", "/.well-known", "/openapi", "/api/docs", "/auth"];

    readonly PartitionedRateLimiter<string> _perAddress = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.AnonymousBurst,
            TokensPerPeriod = options.AnonymousPermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        })
    );

    readonly PartitionedRateLimiter<string> _failedTokens = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.FailedTokenRequestsPerWindow,
            Window = TimeSpan.FromSeconds(options.TokenWindowSeconds),
            QueueLimit = 0,
        })
    );

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (!AnonymousPaths.Any(p => path.StartsWithSegments(p)))
        {
            await next(context);
            return;
        }
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using (var lease = _perAddress.AttemptAcquire(address))
            if (!lease.IsAcquired)
            {
                await RateLimits.TooManyRequests(context, RateLimits.RetryAfter(lease, TimeSpan.FromSeconds(1))).ExecuteAsync(context);
                return;
            }
        if (!path.Equals(Auth.TokenServer.TokenPath, StringComparison.OrdinalIgnoreCase) || !HttpMethods.IsPost(context.Request.Method))
        {
            await next(context);
            return;
        }
        if (_failedTokens.GetStatistics(address)?.CurrentAvailablePermits <= 0)
        {
            await RateLimits.TooManyRequests(context, TimeSpan.FromSeconds(options.TokenWindowSeconds)).ExecuteAsync(context);
            return;
        }
        if (await tokens.TryAcquireAsync(context) is { } error)
        {
            await error.ExecuteAsync(context);
            return;
        }
        await next(context);
        if (context.Response.StatusCode is StatusCodes.Status400BadRequest or StatusCodes.Status401Unauthorized)
            _failedTokens.AttemptAcquire(address).Dispose();
    }

    public void Dispose()
    {
        _perAddress.Dispose();
        _failedTokens.Dispose();
    }
}

public static class AnonymousRateLimits
{
    public static IApplicationBuilder UseAnonymousRateLimits(this IApplicationBuilder app)
    {
        var limiter = app.ApplicationServices.GetRequiredService<AnonymousRateLimiter>();
        return app.Use((context, next) => limiter.InvokeAsync(context, next));
    }
}

/// <summary>
/// Token requests per IP and client id, once the form is read (a policy cannot read the body), so guessing one
/// client's secret does not lock other clients out.
/// </summary>
public sealed class TokenRateLimiter(RateLimitOptions options) : IDisposable
{
    readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.TokenPermitLimit,
            Window = TimeSpan.FromSeconds(options.TokenWindowSeconds),
            QueueLimit = 0,
        })
    );

    /// <summary>Null when allowed; otherwise the answer (429, or 400 for a form that cannot be read).</summary>
    public async Task<IResult?> TryAcquireAsync(HttpContext http)
    {
        string? clientId = null;
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            clientId = BasicClientId(header);
        else if (http.Request.HasFormContentType)
        {
            try
            {
                // Read once: OpenIddict reads the same cached form.
                clientId = (await http.Request.ReadFormAsync(http.RequestAborted))["client_id"];
            }
            catch (InvalidDataException)
            {
                // e.g. more fields than the form reader allows, or a value too long.
                return Auth.TokenServer.OAuthProblem(StatusCodes.Status400BadRequest, "invalid_request", "The form is malformed.");
            }
        }
        using var lease = _limiter.AttemptAcquire($"{http.Connection.RemoteIpAddress}|{clientId}");
        if (lease.IsAcquired)
            return null;
        return RateLimits.TooManyRequests(http, RateLimits.RetryAfter(lease, TimeSpan.FromSeconds(options.TokenWindowSeconds)));
    }

    static string? BasicClientId(string header)
    {
        try
        {
            var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':');
            return colon > 0 ? Uri.UnescapeDataString(decoded[..colon]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public void Dispose() => _limiter.Dispose();
}
