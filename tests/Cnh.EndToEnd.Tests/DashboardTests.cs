using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;

namespace Cnh.EndToEnd.Tests;

/// <summary>
/// The trace UI of a `./cnh up` install: `./cnh dashboard` starts the Aspire dashboard the way `./cnh up` does (in a
/// scratch CNH_HOME, on free ports), and a real service, configured as `./cnh` configures it (OTLP/gRPC to the
/// dashboard), shows up in it with the trace of a request.
/// </summary>
[Collection(PlatformCollection.Name)]
public class DashboardTests(Platform platform)
{
    [Fact]
    public async Task When_cnh_starts_the_dashboard_it_answers_on_loopback_and_shows_a_services_trace()
    {
        var home = Path.Combine(platform.Sandbox.WorkDirectory, "dashboard-home");
        var ui = $"http://127.0.0.1:{TestEnvironment.FreePort()}";
        var otlp = $"http://127.0.0.1:{TestEnvironment.FreePort()}";
        var env = new Dictionary<string, string>
        {
            ["CNH_HOME"] = home,
            ["CNH_DASHBOARD_URL"] = ui,
            ["CNH_DASHBOARD_OTLP_URL"] = otlp,
            ["CNH_CONFIGURATION"] = TestEnvironment.Configuration,
        };
        (await CnhAsync(env, "dashboard"))
            .Should()
            .Be(
                0,
                File.Exists(Path.Combine(home, "logs", "dashboard.log"))
                    ? File.ReadAllText(Path.Combine(home, "logs", "dashboard.log"))
                    : "no dashboard log"
            );
        ServiceProcess? catalogue = null;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            (await http.GetAsync(ui + "/")).StatusCode.Should().Be(HttpStatusCode.OK, "on loopback the UI opens without a login");

            // A second catalogue instance beside the platform's, exporting the way ./cnh sets up every service.
            var port = TestEnvironment.FreePort();
            var serviceEnv = new Dictionary<string, string>(platform.Services["catalogue"].Environment)
            {
                ["Urls"] = $"http://127.0.0.1:{port}",
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp,
            };
            serviceEnv.Remove("OTEL_EXPORTER_OTLP_PROTOCOL");
            // Called directly below, as a trace's first hop: not behind the gateway.
            serviceEnv.Remove("Auth__GatewaySecretFile");
            catalogue = new ServiceProcess(
                "catalogue-dashboard",
                TestEnvironment.ServiceDll("services/Catalogue", "Cnh.Catalogue"),
                port,
                serviceEnv,
                platform.Sandbox.WorkDirectory
            );
            catalogue.Start();
            await catalogue.WaitReadyAsync(TimeSpan.FromSeconds(60));

            var traceId = ActivityTraceId.CreateRandom().ToString();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{catalogue.BaseUrl}/api/catalogue/indicators/KT01");
            request.Headers.Authorization = new("Bearer", await platform.TokenAsync("viewer"));
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
            (await http.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK);

            // The dashboard's telemetry API answers the trace in OTLP JSON: the request's span and its database statement.
            // 404 until the batch exporter has sent the trace.
            var spans = await Eventually.Async(
                async () =>
                    await http.GetAsync($"{ui}/api/telemetry/traces/{traceId}") is { IsSuccessStatusCode: true } found
                        ? SpansIn(await found.Content.ReadAsStringAsync())
                        : [],
                found => found.Any(s => s.Name == "GET /api/catalogue/indicators/{code}") && found.Any(s => s.Scope == "Npgsql"),
                TimeSpan.FromSeconds(30),
                $"trace {traceId} in the dashboard",
                found => string.Join(", ", found)
            );
            spans.Should().OnlyContain(s => s.Service == "catalogue");

            // And what ops see: the trace's page in a real browser, with the request's span in its waterfall.
            await using var chromium = await Chromium.LaunchAsync();
            var browser = await chromium.NewPageAsync();
            await browser.Page.GotoAsync($"{ui}/traces/detail/{traceId}");
            await browser.Page.GetByText("GET /api/catalogue/indicators/{code}").First.WaitForAsync(new() { Timeout = 30_000 });
            await Chromium.ScreenshotAsync(browser.Page, "dashboard-trace");
            browser.OffMachineRequests().Should().BeEmpty("the dashboard works without the internet");
        }
        finally
        {
            catalogue?.Kill();
            await CnhAsync(env, "down");
        }
    }

    static List<(string Service, string Scope, string Name)> SpansIn(string json)
    {
        using var document = JsonDocument.Parse(json);
        var spans = new List<(string, string, string)>();
        foreach (var resource in document.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = resource
                .GetProperty("resource")
                .GetProperty("attributes")
                .EnumerateArray()
                .First(a => a.GetProperty("key").GetString() == "service.name")
                .GetProperty("value")
                .GetProperty("stringValue")
                .GetString()!;
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                    spans.Add(
                        (service, scope.GetProperty("scope").GetProperty("name").GetString()!, span.GetProperty("name").GetString()!)
                    );
            }
        }
        return spans;
    }

    static async Task<int> CnhAsync(Dictionary<string, string> env, string command)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(TestEnvironment.Root, "cnh"), command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in env)
            info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        await Task.WhenAll(output, error);
        return process.ExitCode;
    }
}
