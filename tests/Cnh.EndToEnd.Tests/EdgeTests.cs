using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;

namespace Cnh.EndToEnd.Tests;

/// <summary>The public edge: body limits, security headers, health, OpenAPI, and what services listen on.</summary>
[Collection(PlatformCollection.Name)]
public class EdgeTests(Platform platform)
{
    const int Limit = 8 * 1024 * 1024;

    [Fact]
    public async Task When_a_body_declares_more_than_the_limit_it_gets_413_problem_details()
    {
        var body = new ByteArrayContent(new byte[Limit + 1]);
        body.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, platform.Url("/api/submissions")) { Content = body };
        request.Headers.Authorization = new("Bearer", await platform.TokenAsync("dept-tc"));
        // A careful client asks before uploading a large body, and learns the answer without sending it.
        request.Headers.ExpectContinue = true;

        var response = await platform.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task When_a_chunked_body_grows_past_the_limit_it_gets_413_not_a_gateway_error()
    {
        var body = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"note\":\"" + new string('x', Limit + 10) + "\"}")));
        body.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, platform.Url("/api/submissions")) { Content = body };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new("Bearer", await platform.TokenAsync("dept-tc"));

        var response = await platform.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task When_the_gateway_answers_it_sends_security_headers()
    {
        var response = await platform.SendAsync(HttpMethod.Get, "/api/scores", "viewer");

        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");
        response.Headers.GetValues("Referrer-Policy").Should().Equal("no-referrer");
        response.Headers.Contains("Content-Security-Policy").Should().BeTrue();
        response.Headers.Contains("Server").Should().BeFalse("no product banner from the edge");
    }

    [Fact]
    public async Task When_a_page_is_asked_the_portal_answers_with_its_own_policy_and_an_unknown_API_path_stays_a_problem()
    {
        var page = await platform.Http.GetAsync(platform.Url("/"));
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        page.Headers.GetValues("Content-Security-Policy").Should().ContainSingle().Which.Should().Contain("script-src 'self'");
        page.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");

        var unknown = await platform.Http.GetAsync(platform.Url("/api/nothing-here"));
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unknown.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        unknown.Headers.GetValues("Content-Security-Policy").Should().Equal("default-src 'none'; frame-ancestors 'none'");

        var missingPage = await platform.Http.GetAsync(platform.Url("/indicators/NOPE"));
        missingPage.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await missingPage.Content.ReadAsStringAsync()).Should().Contain("Không tìm thấy trang").And.NotContain("Exception");
    }

    [Fact]
    public async Task When_health_is_asked_at_the_gateway_it_reports_every_service()
    {
        var health = await platform.Http.GetFromJsonAsync<JsonElement>(platform.Url("/health"));

        health.GetProperty("status").GetString().Should().Be("Healthy");
        health
            .GetProperty("services")
            .EnumerateObject()
            .Select(p => (p.Name, p.Value.GetString()))
            .Should()
            .BeEquivalentTo([
                ("catalogue", "ready"),
                ("submissions", "ready"),
                ("scoring", "ready"),
                ("notifications", "ready"),
                ("portal", "ready"),
            ]);
    }

    [Theory]
    [InlineData("catalogue", "/api/catalogue/indicators")]
    [InlineData("submissions", "/api/submissions")]
    [InlineData("scoring", "/api/scores")]
    [InlineData("notifications", "/api/notifications")]
    public async Task When_a_services_openapi_document_is_asked_at_the_gateway_it_is_served(string service, string path)
    {
        var document = await platform.Http.GetFromJsonAsync<JsonElement>(platform.Url($"/openapi/{service}.json"));

        document.GetProperty("openapi").GetString().Should().StartWith("3.");
        document.GetProperty("paths").EnumerateObject().Select(p => p.Name).Should().Contain(path);
        // The answer is documented, not just its status: a client can generate its types from the document.
        document
            .GetProperty("paths")
            .GetProperty(path)
            .GetProperty("get")
            .GetProperty("responses")
            .GetProperty("200")
            .GetProperty("content")
            .GetProperty("application/json")
            .TryGetProperty("schema", out _)
            .Should()
            .BeTrue($"GET {path} documents its answer");
        var text = document.GetRawText();
        foreach (var port in platform.Services.Values.Select(s => new Uri(s.BaseUrl).Port))
            text.Should().NotContain($":{port}", "a public document names no internal address");
        text.Should().NotContainAny("127.0.0.1", "localhost", "amqp://", "Host=");
    }

    [Fact]
    public void When_no_address_is_configured_services_listen_on_loopback_only()
    {
        foreach (
            var settings in new[] { "services/Catalogue", "services/Submissions", "services/Scoring", "services/Notifications", "gateway" }
        )
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestEnvironment.Root, settings, "appsettings.json")));
            json.RootElement.GetProperty("Urls").GetString().Should().StartWith("http://127.0.0.1:", settings);
        }
    }

    [Fact]
    public async Task When_api_docs_are_opened_every_services_document_is_browsable_from_the_gateway_alone()
    {
        var page = await platform.Http.GetStringAsync(platform.Url("/api/docs/"));
        foreach (var service in new[] { "catalogue", "submissions", "scoring", "notifications" })
        {
            page.Should().Contain($"openapi/{service}.json");
            var document = await platform.Http.GetFromJsonAsync<JsonElement>(platform.Url($"/openapi/{service}.json"));
            document
                .GetProperty("servers")[0]
                .GetProperty("url")
                .GetString()
                .Should()
                .Be("/", "requests from the reference go to the gateway, not the service");
            document.GetProperty("info").GetProperty("title").GetString().Should().Be($"CnhPlatform {service}");
        }
        var script = await platform.Http.GetAsync(platform.Url("/api/docs/scalar.js"));
        script.StatusCode.Should().Be(HttpStatusCode.OK, "the reference is served by the gateway, not fetched from a CDN");
        var csp = script.Headers.GetValues("Content-Security-Policy").Single();
        csp.Should().Contain("default-src 'self'").And.NotContain("http", "nothing is loaded from another origin");
        page.Should().NotContain("https://", "no script, style or font comes from outside the machine");
    }

    [Fact]
    public async Task When_the_api_reference_opens_in_a_browser_it_shows_the_services_operations_within_its_content_policy()
    {
        await using var chromium = await Infrastructure.Chromium.LaunchAsync();
        var browser = await chromium.NewPageAsync();
        var page = browser.Page;

        await page.GotoAsync(platform.Url("/api/docs/"));

        await page.GetByText("CnhPlatform submissions").First.WaitForAsync(new() { Timeout = 30_000 });
        await page.GetByText("/api/submissions/batch").First.WaitForAsync(new() { Timeout = 30_000 });
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
        await Infrastructure.Chromium.ScreenshotAsync(page, "api-docs");
        browser
            .ConsoleErrors.Should()
            .NotContain(e => e.Contains("Content Security Policy"), "the reference needs nothing its policy refuses");
        browser.OffMachineRequests().Should().BeEmpty("nothing of the reference is fetched from, or reported to, another machine");
    }
}
