using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Cnh.EndToEnd.Tests.Portal;

/// <summary>
/// The portal's pages, read through the gateway in a real Chromium against the real platform: what leadership and the
/// public see must be what the APIs say, in Vietnamese first and English, live, and usable by keyboard and screen reader.
/// </summary>
[Collection(PlatformCollection.Name)]
public class PortalTests(Platform platform, PortalBrowser browser) : IClassFixture<PortalBrowser>
{
    readonly PortalBrowser _browser = browser;

    [Fact]
    public async Task When_a_reader_opens_the_overview_it_shows_the_26_indicators_with_their_statuses_in_Vietnamese()
    {
        var scores = await IndicatorScoresAsync();
        var page = await _browser.OpenAsync(platform, "/");

        (await page.Locator("html").GetAttributeAsync("lang")).Should().Be("vi");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Tổng quan", Level = 1 }).WaitForAsync();
        foreach (var code in PortalBrowser.SeedCodes)
        {
            var row = page.Locator($"[data-testid=indicator-grid] tr[data-code='{code}']");
            (await row.CountAsync()).Should().Be(1, $"{code} is in the grid");
            var status = scores[code].GetProperty("status").GetString()!;
            (await row.Locator(".status").InnerTextAsync()).Should().Contain(PortalBrowser.VietnameseStatus[status], code);
        }
        PortalBrowser.SeedCodes.Should().HaveCount(26);
        // Each status tile counts its indicators and names the status in words.
        foreach (var (status, words) in PortalBrowser.VietnameseStatus)
        {
            var tile = page.Locator($"[data-testid=tile-{status}]");
            (await tile.InnerTextAsync()).Should().Contain(words);
            (await tile.Locator(".tile-count").InnerTextAsync())
                .Should()
                .Be(scores.Values.Count(s => s.GetProperty("status").GetString() == status).ToString());
        }
        (await page.Locator("[data-testid=data-as-of]").InnerTextAsync()).Should().MatchRegex(@"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$");
    }

    [Fact]
    public async Task When_a_reader_switches_to_English_the_same_page_shows_English_names()
    {
        var page = await _browser.OpenAsync(platform, "/indicators/KT01");
        (await page.Locator("h1").InnerTextAsync()).Should().Contain("Thu nhập bình quân đầu người");

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await page.WaitForURLAsync(platform.Url("/indicators/KT01"));
        (await page.Locator("html").GetAttributeAsync("lang")).Should().Be("en");
        (await page.Locator("h1").InnerTextAsync()).Should().Contain("Average income per capita");

        await page.GotoAsync(platform.Url("/"));
        (await page.Locator("[data-testid=indicator-grid] tr[data-code='KT01']").InnerTextAsync())
            .Should()
            .Contain("Average income per capita");
        (await page.GetByRole(AriaRole.Link, new() { Name = "Tiếng Việt" }).GetAttributeAsync("lang")).Should().Be("vi");
    }

    [Fact]
    public async Task When_a_value_is_not_yet_accepted_the_indicator_page_marks_it_provisional_and_official_once_accepted()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var submitted = await platform.SubmitAsync(TestIndicator.Client, indicator.Code, "2024", 40);
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Eventually.Async(
            () => platform.GetJsonAsync($"/api/scores/indicators/{indicator.Code}", "viewer"),
            s => s.GetProperty("basis").ValueKind == JsonValueKind.String,
            TimeSpan.FromSeconds(20),
            "the value scored",
            s => s.GetRawText()
        );

        async Task<ILocator> StandingAsync(string language, string expected)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                var page = await _browser.OpenAsync(platform, $"/indicators/{indicator.Code}", language);
                var standing = page.Locator("[data-testid=basis]");
                if (await standing.CountAsync() == 1 && await standing.GetAttributeAsync("data-value") == expected)
                    return standing;
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"The page never showed the value as {expected}.");
                await Task.Delay(500);
            }
        }

        var vietnamese = await StandingAsync("vi", "provisional");
        (await vietnamese.InnerTextAsync()).Should().Contain("tạm tính");
        (await vietnamese.Page.Locator("[data-testid=latest-basis]").InnerTextAsync())
            .Should()
            .Contain("tạm tính", "the headline value says so too");
        (await (await StandingAsync("en", "provisional")).InnerTextAsync()).Should().Contain("provisional");
        foreach (var step in new[] { "approve", "accept" })
            (await platform.SendAsync(HttpMethod.Post, $"/api/submissions/{id}/{step}", "admin")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await (await StandingAsync("vi", "official")).InnerTextAsync()).Should().Contain("chính thức");
        (await (await StandingAsync("en", "official")).InnerTextAsync()).Should().Contain("accepted by the City Statistics Office");
    }

    [Fact]
    public async Task When_a_reader_opens_KT01_the_chart_table_and_how_computed_panel_match_the_scoring_API()
    {
        await EnsureKt01HasValuesAsync();
        var api = await platform.GetJsonAsync("/api/scores/indicators/KT01", "viewer");
        var result = api.GetProperty("result");
        var page = await _browser.OpenAsync(platform, "/indicators/KT01");

        var chart = page.Locator("[data-testid=indicator-chart] svg");
        await chart.WaitForAsync();
        var labels = await chart.Locator("text.target-label").AllTextContentsAsync();
        labels.Should().Contain(l => l.Contains("2025")).And.Contain(l => l.Contains("2030"));
        (await chart.Locator("line.target-year").CountAsync()).Should().Be(2);
        (await chart.GetAttributeAsync("role")).Should().Be("img");
        (await page.Locator("[data-testid=chart-summary]").InnerTextAsync()).Should().Contain("Thu nhập bình quân đầu người");

        var panel = page.Locator("[data-testid=how-computed]");
        foreach (
            var (field, property) in new[]
            {
                ("baseYear", "baseYear"),
                ("baseValue", "baseValue"),
                ("currentValue", "currentValue"),
                ("targetValue", "targetValue"),
                ("observedGrowth", "observedGrowth"),
                ("requiredGrowth", "requiredGrowth"),
                ("progressValue", "progressValue"),
            }
        )
        {
            var shown = await panel.Locator($"dd[data-field={field}]").GetAttributeAsync("data-value");
            double.Parse(shown!, CultureInfo.InvariantCulture).Should().Be(result.GetProperty(property).GetDouble(), field);
        }
        (await panel.Locator("dd[data-field=status]").GetAttributeAsync("data-value"))
            .Should()
            .Be(result.GetProperty("status").GetString());
        // The number a reader sees is the API's, written the Vietnamese way.
        (await panel.Locator("dd[data-field=progressValue]").InnerTextAsync())
            .Should()
            .Be(result.GetProperty("progressValue").GetDouble().ToString("#,##0.###", CultureInfo.GetCultureInfo("vi-VN")));
        (await panel.InnerTextAsync()).Should().Contain("p ≥ 0,95");

        await page.GetByRole(AriaRole.Link, new() { Name = "Bảng số liệu", Exact = true }).ClickAsync();
        var table = page.Locator("[data-testid=indicator-table]");
        await table.WaitForAsync();
        var observations = await platform.GetJsonAsync("/api/scores/indicators/KT01/observations", "viewer");
        foreach (var o in observations.EnumerateArray())
        {
            var row = table
                .Locator("tbody tr")
                .Filter(new() { Has = page.Locator($"th:text-is('{o.GetProperty("period").GetString()}')") });
            (await row.Locator("td").First.InnerTextAsync())
                .Should()
                .Be(o.GetProperty("value").GetDouble().ToString("#,##0.##", CultureInfo.GetCultureInfo("vi-VN")));
        }
        var header = await table.Locator("thead").InnerTextAsync();
        header.Should().Contain("Mục tiêu").And.Contain("Lộ trình cần đạt");
    }

    [Fact]
    public async Task When_a_value_is_submitted_the_open_overview_changes_within_5_seconds_without_a_reload()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var page = await _browser.OpenAsync(platform, "/");
        var row = page.Locator($"[data-testid=indicator-grid] tr[data-code='{indicator.Code}']");
        await row.WaitForAsync(new() { Timeout = 10_000 });
        (await row.Locator(".status").InnerTextAsync()).Should().Contain("Chưa có số liệu");
        await page.Locator("html[data-live=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.EvaluateAsync("() => window.__sameDocument = true");

        var submitted = await platform.SubmitAsync(TestIndicator.Client, indicator.Code, "2026", 120);
        submitted.StatusCode.Should().Be(HttpStatusCode.Accepted, await submitted.Content.ReadAsStringAsync());
        var scored = await Eventually.Async(
            () => platform.GetJsonAsync($"/api/scores/indicators/{indicator.Code}", "viewer"),
            s => s.GetProperty("status").GetString() != "NotAvailable",
            TimeSpan.FromSeconds(15),
            "the value to be scored"
        );
        var calculated = DateTime.UtcNow;

        await page.WaitForFunctionAsync(
            $"() => document.querySelector(\"tr[data-code='{indicator.Code}']\")?.innerText.includes('Đạt mục tiêu')",
            null,
            new() { Timeout = 5_000 }
        );
        (DateTime.UtcNow - calculated).Should().BeLessThan(TimeSpan.FromSeconds(5));
        (await page.EvaluateAsync<bool>("() => window.__sameDocument === true")).Should().BeTrue("the page changed without a reload");
        (await row.InnerTextAsync()).Should().Contain("120");
        scored.GetProperty("status").GetString().Should().Be("TargetAchieved");
    }

    [Fact]
    public async Task When_a_department_has_missing_values_the_departments_board_marks_it_late()
    {
        var completeness = await platform.GetJsonAsync("/api/submissions/completeness?period=2025", "viewer");
        var late = completeness
            .GetProperty("departments")
            .EnumerateArray()
            .First(d => d.GetProperty("late").GetInt32() + d.GetProperty("missing").GetInt32() > 0);
        var code = late.GetProperty("department").GetString()!;

        var page = await _browser.OpenAsync(platform, "/departments");
        var row = page.Locator($"[data-testid=departments] tr[data-department='{code}']");
        (await row.InnerTextAsync()).Should().Contain("Chậm nộp");
        (await row.Locator("td[data-field=missing]").InnerTextAsync()).Should().Be(late.GetProperty("missing").GetInt32().ToString());
        (await row.Locator("td[data-field=late]").InnerTextAsync()).Should().Be(late.GetProperty("late").GetInt32().ToString());
        (await page.InnerTextAsync("body")).Should().Contain("Kỳ báo cáo: 2025");
    }

    [Fact]
    public async Task When_the_overview_CSV_is_downloaded_it_parses_and_equals_the_APIs_numbers()
    {
        await EnsureKt01HasValuesAsync();
        var page = await _browser.OpenAsync(platform, "/");
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Tải dữ liệu (CSV)" }).ClickAsync()
        );
        var text = await File.ReadAllTextAsync((await download.PathAsync())!);
        var scores = await IndicatorScoresAsync();

        CsvText.Parse(text)[0].Should().StartWith(["code", "indicator", "group", "unit", "period", "value", "target_year"]);
        var body = CsvText.Records(text).ToDictionary(r => r["code"]);
        body.Keys.Should().Contain(PortalBrowser.SeedCodes);
        foreach (var code in PortalBrowser.SeedCodes)
        {
            var api = scores[code];
            var csv = body[code];
            csv["status"].Should().Be(api.GetProperty("status").GetString(), code);
            JsonElement? value =
                api.GetProperty("result").ValueKind == JsonValueKind.Null ? null : api.GetProperty("result").GetProperty("currentValue");
            if (value is { ValueKind: JsonValueKind.Number } v)
                double.Parse(csv["value"], CultureInfo.InvariantCulture).Should().Be(v.GetDouble(), code);
            else
                csv["value"].Should().BeEmpty(code);
            csv["target_year"].Should().Be("2030");
        }

        // An indicator's values, as the indicator page offers them, are the reported values scoring holds.
        using var http = new HttpClient();
        var kt01 = CsvText.Records(await http.GetStringAsync(platform.Url("/data/indicators/KT01.csv")));
        var observations = await platform.GetJsonAsync("/api/scores/indicators/KT01/observations", "viewer");
        foreach (var o in observations.EnumerateArray())
        {
            var line = kt01.Single(r => r["period"] == o.GetProperty("period").GetString());
            double.Parse(line["value"], CultureInfo.InvariantCulture).Should().Be(o.GetProperty("value").GetDouble());
        }
    }

    [Fact]
    public async Task When_a_reader_uses_only_the_keyboard_every_link_of_the_overview_is_reached()
    {
        var page = await _browser.OpenAsync(platform, "/");
        // Once live (its update stream open), a data change can swap the main content in (another test's value or
        // indicator arriving): a walk during which that happened is walked again.
        await page.Locator("html[data-live=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        string[] links = [];
        var reached = new HashSet<string>();
        for (var walkNumber = 0; walkNumber < 5; walkNumber++)
        {
            var version = await page.EvaluateAsync<string>("() => document.getElementById('main').dataset.version");
            links = await page.EvaluateAsync<string[]>(
                "() => [...document.querySelectorAll('a[href]')].map((a, i) => a.dataset.walk = String(i))"
            );
            reached.Clear();
            if (walkNumber > 0)
            {
                // Walking again: from the first link, as from the top of a freshly opened page.
                await page.EvaluateAsync("() => document.querySelector('a[href]').focus()");
                reached.Add("0");
            }
            for (var i = 0; i < links.Length + 20 && reached.Count < links.Length; i++)
            {
                await page.Keyboard.PressAsync("Tab");
                var walk = await page.EvaluateAsync<string?>("() => document.activeElement?.dataset?.walk ?? null");
                if (walk is not null)
                    reached.Add(walk);
            }
            if (await page.EvaluateAsync<string>("() => document.getElementById('main').dataset.version") == version)
                break;
        }
        reached.Should().HaveCount(links.Length, "Tab reaches every link");
        // The first link of the page skips to the main content, visibly focused.
        (await page.EvaluateAsync<string>("() => document.querySelector('a[href]').className")).Should().Contain("skip-link");
        await page.Locator(".skip-link").FocusAsync();
        (await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle")).Should().NotBe("none");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<bool>("() => document.getElementById('main').contains(document.activeElement)"))
            .Should()
            .BeTrue("the next Tab is in the main content");
    }

    [Fact]
    public async Task When_a_reader_opens_the_downloads_page_every_report_and_open_data_link_answers_with_its_file()
    {
        var page = await _browser.OpenAsync(platform, "/downloads", "vi");
        await page.Locator("h1").WaitForAsync();
        var links = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('main a[href^=\"/open-data/\"], main a[href^=\"/reports/\"]')].map(a => "
                + "a.getAttribute('href'))"
        );
        links
            .Should()
            .Contain([
                "/reports/indicators.xlsx?lang=vi",
                "/reports/briefing.pdf?lang=en",
                "/open-data/latest/data.csv",
                "/open-data/latest/open-data.zip",
            ]);
        using var http = new HttpClient();
        foreach (var href in links.Distinct())
        {
            using var response = await http.GetAsync(platform.Url(href));
            response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, href);
            (await response.Content.ReadAsByteArrayAsync()).Length.Should().BeGreaterThan(100, href);
        }
        var releases = (await http.GetFromJsonAsync<System.Text.Json.JsonElement>(platform.Url("/open-data/")))
            .GetProperty("releases")
            .GetArrayLength();
        if (releases > 0)
            links.Should().Contain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^/open-data/\d{4}-\d{2}-\d{2}/data\.csv$"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Every_page_in_both_languages_has_no_serious_accessibility_violation_fits_320_pixels_and_is_screenshotted()
    {
        await EnsureKt01HasValuesAsync();
        var pages = new (string Name, string Path)[]
        {
            ("overview", "/"),
            ("group", "/groups/KT"),
            ("indicator", "/indicators/KT01"),
            ("indicator-table", "/indicators/KT01?view=table"),
            ("departments", "/departments"),
            ("alerts", "/alerts"),
            ("downloads", "/downloads"),
            ("not-found", "/indicators/NOPE"),
        };
        var failures = new List<string>();
        foreach (var language in new[] { "vi", "en" })
        {
            foreach (var (name, path) in pages)
            {
                var page = await _browser.OpenAsync(platform, path, language);
                await page.Locator("h1").WaitForAsync();
                (await page.Locator("html").GetAttributeAsync("lang")).Should().Be(language, path);
                var axe = await page.RunAxe();
                failures.AddRange(
                    axe.Violations.Where(v => v.Impact is "serious" or "critical")
                        .Select(v =>
                            $"{language} {path}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}"
                        )
                );
                await Chromium.ScreenshotAsync(page, $"portal-{name}-{language}-desktop");

                await page.SetViewportSizeAsync(320, 800);
                var overflow = await page.EvaluateAsync<int>(
                    "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
                );
                if (overflow > 1)
                    failures.Add($"{language} {path}: {overflow}px wider than a 320px screen");
                await page.SetViewportSizeAsync(360, 800);
                await Chromium.ScreenshotAsync(page, $"portal-{name}-{language}-360px");
                await page.Context.CloseAsync();
            }
        }
        failures.Should().BeEmpty();
    }

    [Fact]
    public async Task When_an_API_behind_the_portal_is_down_pages_show_the_last_data_and_when_it_was_read()
    {
        var scoring = platform.Services["scoring"];
        scoring.Kill();
        try
        {
            var page = await Eventually.Async(
                async () =>
                {
                    var p = await _browser.OpenAsync(platform, "/");
                    var text = await p.InnerTextAsync("body");
                    if (!text.Contains("Không kết nối được"))
                        await p.Context.CloseAsync();
                    return (Page: p, Text: text);
                },
                r => r.Text.Contains("Không kết nối được"),
                TimeSpan.FromSeconds(30),
                "the portal to notice scoring is down",
                r => r.Text[..Math.Min(400, r.Text.Length)]
            );
            (await page.Page.Locator("[data-testid=indicator-grid] tbody tr").CountAsync()).Should().BeGreaterThanOrEqualTo(26);
            (await page.Page.Locator("[data-testid=data-as-of]").InnerTextAsync()).Should().NotBeEmpty();
            page.Text.Should().NotContain("Exception").And.NotContain("   at ");
        }
        finally
        {
            scoring.Start();
            await platform.WaitAllReadyAsync();
        }
    }

    [Fact]
    public async Task When_a_page_needs_the_APIs_its_calls_continue_the_readers_trace()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        // The overview's CSV lists it once the portal has read it (and reading it asks nothing of the indicator's values).
        await Eventually.Async(
            () => platform.Http.GetStringAsync(platform.Url("/data/overview.csv")),
            csv => csv.Contains(indicator.Code),
            TimeSpan.FromSeconds(30),
            "the portal to know the new indicator",
            csv => csv.Split('\n').Length + " rows"
        );
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, platform.Url($"/indicators/{indicator.Code}?view=table"));
        request.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");

        // The first page of an indicator reads its values from scoring, through the gateway, inside the reader's trace.
        (await platform.Http.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK);
        var spans = await Eventually.Async(
            () => Task.FromResult(platform.Otlp.Spans.Where(s => s.TraceId == traceId).ToList()),
            list => list.Any(s => s.Service == "scoring" && s.Name.Contains("observations")) && list.Any(s => s.Service == "portal"),
            TimeSpan.FromSeconds(15),
            "the page's trace to reach scoring",
            list => string.Join("\n", list.Select(s => $"{s.Service} {s.Name}"))
        );
        spans.Select(s => s.Service).Distinct().Should().Contain(["gateway", "portal", "scoring"]);
    }

    async Task<Dictionary<string, JsonElement>> IndicatorScoresAsync() =>
        (await platform.GetJsonAsync("/api/scores/indicators", "viewer"))
            .EnumerateArray()
            .ToDictionary(s => s.GetProperty("code").GetString()!);

    /// <summary>KT01 has reported values (the Department of Finance's 2021 and 2022), whatever ran before.</summary>
    async Task EnsureKt01HasValuesAsync()
    {
        var observations = await platform.GetJsonAsync("/api/scores/indicators/KT01/observations", "viewer");
        if (observations.GetArrayLength() >= 2)
            return;
        foreach (var (period, value) in new[] { ("2021", 5600.0), ("2022", 6100.0) })
        {
            var response = await platform.SubmitAsync("dept-tc", "KT01", period, value, note: "portal test");
            response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }
        await Eventually.Async(
            () => platform.GetJsonAsync("/api/scores/indicators/KT01/observations", "viewer"),
            o => o.GetArrayLength() >= 2,
            TimeSpan.FromSeconds(15),
            "KT01's values in scoring"
        );
        // The portal's own copy follows within its refresh interval (a second here).
        await Task.Delay(TimeSpan.FromSeconds(2));
    }
}
