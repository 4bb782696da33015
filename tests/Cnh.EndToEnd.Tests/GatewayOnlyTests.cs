using System.Net;
using System.Net.Http.Headers;
using Cnh.EndToEnd.Tests.Infrastructure;

namespace Cnh.EndToEnd.Tests;

/// <summary>A service's own port answers only what came through the gateway: a token revoked there is revoked everywhere.</summary>
[Collection(PlatformCollection.Name)]
public class GatewayOnlyTests(Platform platform)
{
    [Theory]
    [InlineData("submissions", "/api/submissions?indicator=KT01")]
    [InlineData("scoring", "/api/scores")]
    [InlineData("notifications", "/api/alert-rules")]
    [InlineData("catalogue", "/api/catalogue/indicators/KT01")]
    public async Task When_a_valid_token_is_sent_to_a_services_own_port_it_is_refused_and_through_the_gateway_it_works(
        string service,
        string path
    )
    {
        var token = await platform.TokenAsync("admin");
        using var http = new HttpClient();
        foreach (var spoofed in new string?[] { null, "guess", "" })
        {
            using var direct = new HttpRequestMessage(HttpMethod.Get, platform.Services[service].BaseUrl + path);
            direct.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (spoofed is not null)
                direct.Headers.TryAddWithoutValidation("X-Cnh-Gateway", spoofed);
            var refused = await http.SendAsync(direct);
            HostileReport.Count((int)refused.StatusCode);
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{service} without the gateway's secret ({spoofed ?? "none"})");
        }
        (await http.GetAsync(platform.Services[service].BaseUrl + "/health/ready"))
            .StatusCode.Should()
            .Be(HttpStatusCode.OK, "health stays open to probes");
        (await platform.SendAsync(HttpMethod.Get, path, "admin")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
