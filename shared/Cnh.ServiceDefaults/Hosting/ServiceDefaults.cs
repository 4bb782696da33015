using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cnh.ServiceDefaults;

public static class ServiceDefaults
{
    /// <summary>Response header carrying the request's W3C trace id.</summary>
    public const string TraceIdHeader = "trace-id";

    /// <summary>Telemetry, JSON conventions, RFC 9457 problem details, health checks, JWT validation and OpenAPI.</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        builder.AddCnhTelemetry(serviceName);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Services.TryAddSingleton(Clock.FromConfiguration(builder.Configuration));
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            // {"value":1,"value":2} is ambiguous: which one did the client mean? Refuse it (400) instead of guessing.
            o.SerializerOptions.AllowDuplicateProperties = false;
            // The web defaults read "7" as 7; a number sent as a string is a client's type error, so say so (400).
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.Services.AddProblemDetails(o =>
            o.CustomizeProblemDetails = ctx =>
            {
                ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
                ctx.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString()
                    ?? ctx.HttpContext.TraceIdentifier;
            }
        );
        builder.Services.AddClientErrorProblems();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        builder.Services.AddOpenApi(o =>
            o.AddDocumentTransformer(
                (document, _, _) =>
                {
                    // Clients reach every service through the gateway, which serves this document at /openapi/{service}.json:
                    // its own origin is the server, not the service's loopback address.
                    document.Info.Title = $"CnhPlatform {serviceName}";
                    document.Servers = [new Microsoft.OpenApi.OpenApiServer { Url = "/" }];
                    return Task.CompletedTask;
                }
            )
        );
        builder.AddCnhAuthentication();
        return builder;
    }

    static bool IsDatabaseUnavailable(Exception? ex) =>
        ex.CausedBy(e => e is Npgsql.NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException);

    /// <summary>Error handling, authentication, health endpoints and the OpenAPI document, in the order they must run.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler(
            new ExceptionHandlerOptions
            {
                // A client's mistake that Kestrel or the framework detects (oversized body, bad form) keeps its 4xx code;
                // the database being unreachable is a 503 the client may retry, not a bug.
                StatusCodeSelector = ex =>
                    ex switch
                    {
                        BadHttpRequestException bad => bad.StatusCode,
                        _ when IsDatabaseUnavailable(ex) => StatusCodes.Status503ServiceUnavailable,
                        _ => StatusCodes.Status500InternalServerError,
                    },
            }
        );
        app.Use(
            async (context, next) =>
            {
                context.Response.OnStarting(() =>
                {
                    // The trace id of every answer, so that a client or ops can look the request up in the dashboard.
                    if (System.Diagnostics.Activity.Current is { } activity)
                        context.Response.Headers[TraceIdHeader] = activity.TraceId.ToHexString();
                    if (context.Response.StatusCode == StatusCodes.Status503ServiceUnavailable)
                        context.Response.Headers.RetryAfter = "1";
                    return Task.CompletedTask;
                });
                await next(context);
            }
        );
        app.UseStatusCodePages();
        app.RequireGateway();
        app.RejectUnsafeRequestTargets();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live") }).AllowAnonymous();
        // Not ready unless everything is: MassTransit reports a lost broker connection as Degraded, which would be a 200.
        app.MapHealthChecks(
                "/health/ready",
                new HealthCheckOptions
                {
                    Predicate = c => c.Tags.Contains("ready") || c.Tags.Contains("live"),
                    ResultStatusCodes =
                    {
                        [HealthStatus.Healthy] = StatusCodes.Status200OK,
                        [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                        [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
                    },
                }
            )
            .AllowAnonymous();
        app.MapOpenApi("/openapi/v1.json").AllowAnonymous();
        return app;
    }
}
