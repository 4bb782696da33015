using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace Cnh.Gateway.Edge;

/// <summary>
/// The gateway's <c>/health</c>: every service destination's own <c>/health/ready</c>, asked now. Healthy when every
/// instance is ready, degraded (still 200) when each service has at least one, unhealthy when a service has none.
/// </summary>
public sealed class ServicesReadiness(IProxyStateLookup proxy, IHttpClientFactory clients) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var http = clients.CreateClient(nameof(ServicesReadiness));
        // A cluster that is another route to the same service (Metadata "Service") is checked once, under that service's name.
        var checks = proxy
            .GetClusters()
            .SelectMany(c =>
                c.Destinations.Values.Select(d =>
                    (Cluster: c.Model.Config.Metadata?.GetValueOrDefault("Service") ?? c.ClusterId, d.Model.Config.Address)
                )
            )
            .Distinct()
            .Select(async d =>
            {
                try
                {
                    using var response = await http.GetAsync(new Uri(new Uri(d.Address), "/health/ready"), ct);
                    return (
                        d.Cluster,
                        Ready: response.IsSuccessStatusCode,
                        State: response.IsSuccessStatusCode ? "ready" : $"{(int)response.StatusCode}"
                    );
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return (d.Cluster, Ready: false, State: "unreachable");
                }
            });
        var services = (await Task.WhenAll(checks))
            .GroupBy(r => r.Cluster)
            .Select(g => (Service: g.Key, Ready: g.Count(r => r.Ready), Count: g.Count(), States: g.Select(r => r.State).ToList()))
            .ToList();
        var data = services.ToDictionary(
            s => s.Service,
            s => (object)(s.Count == 1 ? s.States[0] : $"{s.Ready} of {s.Count} ready ({string.Join(", ", s.States)})")
        );
        if (services.All(s => s.Ready == s.Count))
            return HealthCheckResult.Healthy("All services are ready.", data);
        var down = string.Join(", ", services.Where(s => s.Ready < s.Count).Select(s => s.Service));
        return services.All(s => s.Ready > 0)
            ? HealthCheckResult.Degraded($"Instances not ready: {down}", data: data)
            : HealthCheckResult.Unhealthy($"Not ready: {down}", data: data);
    }
}
