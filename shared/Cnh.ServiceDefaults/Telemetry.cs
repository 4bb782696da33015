using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cnh.ServiceDefaults;

/// <summary>
/// OpenTelemetry without OpenTelemetry.Extensions.Hosting (absent here): the SDK is built once as a singleton and a
/// hosted service forces it into existence before Kestrel and the bus start, then flushes it on shutdown.
/// </summary>
public static class Telemetry
{
    /// <summary>The project's own activity source and meter; every service uses the same names.</summary>
    public const string SourceName = "Cnh";
    public static readonly ActivitySource Source = new(SourceName);
    public static readonly System.Diagnostics.Metrics.Meter Meter = new(SourceName);

    static bool OtlpConfigured =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));

    public static void AddCnhTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName, serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}");

        builder.Services.AddSingleton(_ => OpenTelemetrySdk.Create(otel =>
        {
            otel.ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}"));
            otel.WithTracing(tracing =>
            {
                tracing.AddSource(SourceName, "Microsoft.AspNetCore", "System.Net.Http", "MassTransit", "Npgsql",
                    "RabbitMQ.Client.Publisher", "Yarp.ReverseProxy");
                if (OtlpConfigured) tracing.AddOtlpExporter();
            });
            otel.WithMetrics(metrics =>
            {
                metrics.AddMeter(SourceName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
                    "System.Net.Http", "System.Runtime", "MassTransit", "Npgsql");
                if (OtlpConfigured) metrics.AddOtlpExporter();
            });
        }));
        builder.Services.AddHostedService<TelemetryLifetime>();

        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        if (OtlpConfigured)
        {
            builder.Logging.AddOpenTelemetry(o =>
            {
                o.SetResourceBuilder(resource);
                o.IncludeScopes = true;
                o.AddOtlpExporter();
            });
        }
    }

    /// <summary>ASP.NET Core's server span is named after the method only; name it after the route as semconv asks.</summary>
    public static IApplicationBuilder UseRouteSpanNames(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        var activity = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpActivityFeature>()?.Activity;
        if (activity is null) return;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        if (route is not null)
        {
            activity.DisplayName = $"{context.Request.Method} {route}";
            activity.SetTag("http.route", route);
        }
    });

    sealed class TelemetryLifetime(OpenTelemetrySdk sdk) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            sdk.TracerProvider.ForceFlush(5000);
            sdk.MeterProvider.ForceFlush(5000);
            return Task.CompletedTask;
        }
    }
}
