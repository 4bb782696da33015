using Cnh.ServiceDefaults;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace Cnh.Gateway.Edge;

public sealed class EdgeOptions
{
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Origins of the dashboard allowed to call the API from a browser.</summary>
    public string[] CorsOrigins { get; set; } = [];
}

/// <summary>What the public edge does before and around proxying.</summary>
public static class EdgeProtection
{
    public const string CorsPolicy = "dashboard";

    /// <summary>Identity and routing headers a client could forge; services must never see a caller's own version.</summary>
    static readonly string[] SpoofableHeaders =
    [
        "Forwarded",
        "X-Real-IP",
        "X-Client-IP",
        "True-Client-IP",
        "X-Original-URL",
        "X-Rewrite-URL",
        "X-Original-For",
        "X-Forwarded-Host",
        "X-Forwarded-Prefix",
        "X-User",
        "X-User-Id",
        "X-Client-Id",
        "X-Department",
        "X-Role",
    ];

    /// <summary>Paths the gateway and the APIs behind it answer; everything else is the portal's.</summary>
    static readonly PathString[] GatewayPaths = ["/api", "/auth", "/openapi", "/.well-known", "/health", "/open-data"];

    /// <summary>An <c>/api</c> path no service answers is a 404 problem here, not a portal page.</summary>
    public static void MapUnknownApiPaths(this IEndpointRouteBuilder app) =>
        app.Map("/api/{**rest}", () =>
                Results.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "Not found",
                    detail: "No API answers this path; the reference is at /api/docs."
                )
            )
            .WithOrder(int.MaxValue - 1);

    public static void AddEdgeProtection(this WebApplicationBuilder builder, IReverseProxyBuilder proxy)
    {
        var options = builder.Configuration.GetSection("Edge").Get<EdgeOptions>() ?? new EdgeOptions();
        builder.Services.AddSingleton(options);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.AddServerHeader = false;
        });
        builder.Services.AddCors(cors =>
            cors.AddPolicy(CorsPolicy, policy =>
                policy
                    .WithOrigins(options.CorsOrigins)
                    .WithMethods("GET", "POST", "PUT", "DELETE")
                    .WithHeaders("Authorization", "Content-Type", "Idempotency-Key")
                    .WithExposedHeaders("Location", "Retry-After")
            )
        );
        // YARP already drops hop-by-hop headers and replaces X-Forwarded-For/Proto; these go too.
        var gatewaySecret = GatewayOnly.ReadSecret(builder.Configuration, create: true);
        proxy.AddTransforms(context =>
        {
            foreach (var header in SpoofableHeaders)
                context.AddRequestHeaderRemove(header);
            // The services that require it know the request came through here; a client's own copy is replaced.
            context.AddRequestHeaderRemove(GatewayOnly.Header);
            if (gatewaySecret is not null)
                context.AddRequestHeader(GatewayOnly.Header, gatewaySecret, append: false);
        });
    }

    /// <summary>Security headers on every answer, and 413 before a declared oversized body is read.</summary>
    public static IApplicationBuilder UseEdgeProtection(this IApplicationBuilder app) =>
        app.Use(
            async (context, next) =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                // The API answers JSON and loads nothing; the API reference page loads its own script and styles, nothing else.
                // The portal's pages (every other path) carry the portal's own policy.
                var path = context.Request.Path;
                if (path.StartsWithSegments(ApiDocs.Path))
                    headers.ContentSecurityPolicy = ApiDocs.ContentSecurityPolicy;
                else if (GatewayPaths.Any(p => path.StartsWithSegments(p)))
                    headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
                if (context.Request.IsHttps)
                    headers.StrictTransportSecurity = "max-age=31536000";

                // HTTP header values are ASCII: anything else would make the proxied request fail as a 502 further on.
                if (
                    context.Request.Headers.FirstOrDefault(h => h.Value.Any(v => v is not null && !IsPrintableAscii(v))) is
                    { Key: { } header }
                )
                {
                    await JsonBody
                        .Invalid(
                            IsPrintableAscii(header) ? header : "header",
                            "Header values are printable ASCII; encode other text (RFC 8187, percent-encoding).",
                            StatusCodes.Status400BadRequest,
                            "Invalid header"
                        )
                        .ExecuteAsync(context);
                    return;
                }
                var limit = context.RequestServices.GetRequiredService<EdgeOptions>().MaxRequestBodyBytes;
                if (context.Request.ContentLength > limit)
                {
                    await PayloadTooLarge(limit).ExecuteAsync(context);
                    return;
                }
                await next(context);
            }
        );

    /// <summary>A body that turns out too large while YARP streams it upstream is the client's 413, not a 502.</summary>
    public static IReverseProxyApplicationBuilder UseBodyLimitErrors(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(
            async (context, next) =>
            {
                await next();
                var error = context.GetForwarderErrorFeature();
                if (error?.Error is ForwarderError.RequestBodyClient && !context.Response.HasStarted && IsTooLarge(error.Exception))
                {
                    context.Response.Clear();
                    await PayloadTooLarge(context.RequestServices.GetRequiredService<EdgeOptions>().MaxRequestBodyBytes)
                        .ExecuteAsync(context);
                }
            }
        );
        return proxy;
    }

    static bool IsTooLarge(Exception? ex) =>
        ex.CausedBy(e => e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge });

    static IResult PayloadTooLarge(long limit) =>
        Results.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Request body too large",
            detail: $"The body may be at most {limit} bytes."
        );

    static bool IsPrintableAscii(string value)
    {
        foreach (var c in value)
            if (c is (< ' ' and not '\t') or > '~')
                return false;
        return true;
    }
}
