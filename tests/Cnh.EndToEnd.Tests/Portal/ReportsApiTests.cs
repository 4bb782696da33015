using System.Net;
using Cnh.EndToEnd.Tests.Infrastructure;

namespace Cnh.EndToEnd.Tests.Portal;

/// <summary>Scripts fetch the reports through the API with a token: admins and viewers (and departments, who read too).</summary>
[Collection(PlatformCollection.Name)]
public class ReportsApiTests(Platform platform)
{
    [Theory]
    [InlineData("/api/reports/briefing.pdf?lang=vi", "application/pdf")]
    [InlineData("/api/reports/indicators.xlsx?lang=en", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    public async Task When_a_viewer_or_admin_asks_the_API_for_a_report_it_gets_the_file_and_without_a_token_a_401(string path, string type)
    {
        foreach (var client in new[] { "viewer", "admin" })
        {
            var response = await platform.SendAsync(HttpMethod.Get, path, client);
            response.StatusCode.Should().Be(HttpStatusCode.OK, client);
            response.Content.Headers.ContentType!.MediaType.Should().Be(type);
            (await response.Content.ReadAsByteArrayAsync()).Length.Should().BeGreaterThan(1000);
        }
        (await platform.SendAsync(HttpMethod.Get, path, null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await platform.SendWithTokenAsync(HttpMethod.Get, path, "not-a-token")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
