using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cnh.ServiceDefaults;

/// <summary>
/// Traces, metrics and logs through OpenTelemetry's hosting integration: ASP.NET Core, HttpClient, Npgsql (with the
/// statement), MassTransit, the runtime and the project's own source and meter; at most <c>Telemetry:TracesPerSecond</c>
/// (10) new traces per second per process (<see cref="TraceRateSampler"/>). Exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (<c>./cnh up</c> points it at the Aspire dashboard); logs also go to the
/// console as JSON lines carrying the trace id.
/// </summary>
public static class Telemetry
{
    /// <summary>The project's own activity source and meter; every service uses the same names.</summary>
    public const string SourceName = "Cnh";
    public static readonly ActivitySource Source = new(SourceName);
    public static readonly System.Diagnostics.Metrics.Meter Meter = new(SourceName);

    public static void AddCnhTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Logging.Configure(o =>
            o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId
        );
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeScopes = true;
            o.IncludeFormattedMessage = true;
        });

        // Parent-based: a trace that began upstream is kept or dropped as a whole; only new traces are sampled here.
        var perSecond = builder.Configuration.GetValue("Telemetry:TracesPerSecond", 10.0);
        var otel = builder
            .Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}"))
            .WithTracing(tracing =>
                tracing
                    .SetSampler(new ParentBasedSampler(new TraceRateSampler(perSecond, TimeProvider.System)))
                    // Health probes (YARP's, every few seconds) and the calls background loops make on their own (key refresh,
                    // the gateway's probes) would each be a trace, burying the ones people come to read. YARP's own source is
                    // left out for the same reason: the gateway's request span and its HttpClient span show the proxying.
                    // The portal's /live update streams stay open for hours: one span each would only clutter the trace list.
                    .AddAspNetCoreInstrumentation(o =>
                        o.Filter = http =>
                            !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.StartsWithSegments("/live")
                    )
                    // Activity.Current is the call's own span: only calls made inside a trace are recorded.
                    .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = _ => Activity.Current?.ParentId is not null)
                    .AddNpgsql()
                    .AddSource(SourceName, "MassTransit")
            )
            .WithMetrics(metrics =>
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddMeter(SourceName, "MassTransit")
            );
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            otel.UseOtlpExporter();
    }
}
