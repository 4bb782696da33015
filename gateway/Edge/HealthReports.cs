using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cnh.Gateway.Edge;

public static class HealthReports
{
    /// <summary><c>{"status":"Healthy","services":{"catalogue":"ready",…}}</c>; 503 when any service is not ready.</summary>
    public static Task WriteJson(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(
            new
            {
                status = report.Status.ToString(),
                services = report.Entries.SelectMany(e => e.Value.Data).ToDictionary(d => d.Key, d => d.Value),
            }
        );
}
