using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace Cnh.Gateway.Edge;

/// <summary>The gateway's <c>/health</c>: every service destination's own <c>/health/ready</c>, asked now.</summary>
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
        var results = await Task.WhenAll(checks);
        var data = results.ToDictionary(r => r.Cluster, r => (object)r.State);
        return results.All(r => r.Ready)
            ? HealthCheckResult.Healthy("All services are ready.", data)
            : HealthCheckResult.Unhealthy(
                $"Not ready: {string.Join(", ", results.Where(r => !r.Ready).Select(r => r.Cluster))}",
                data: data
            );
    }
}
