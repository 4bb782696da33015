using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;

namespace Cnh.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public class SubmissionFlowTests(Platform platform)
{
    [Fact]
    public async Task When_a_department_submits_a_value_it_is_scored_by_the_method_and_an_alert_is_raised()
    {
        // A copy of KT01: base 5,420 (2020), active target 8,300 (2025). 5,500 in 2024:
        // g_o = (5500/5420)^(1/4) − 1 = 0.0036698, g_r = (8300/5420)^(1/5) − 1 = 0.0889696, p = 0.0412476
        // → LimitedProgress, score = 4.1667 × 0.0412476 − 2.5 = −2.3281335: the indicator falls behind.
        await using var kt01 = await TestIndicator.CopyOfAsync(platform, "KT01");
        var response = await platform.SubmitAsync(TestIndicator.Client, kt01.Code, "2024", 5500, note: "e2e");

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var statusUrl = accepted.GetProperty("statusUrl").GetString()!;
        response.Headers.Location!.ToString().Should().Be(statusUrl);
        accepted.GetProperty("revision").GetInt32().Should().Be(1);

        var scored = await Eventually.Async(
            () => platform.GetJsonAsync(statusUrl, TestIndicator.Client),
            s => s.GetProperty("status").GetString() == "Scored",
            what: "submission scored"
        );
        var score = scored.GetProperty("score");
        score.GetProperty("status").GetString().Should().Be("LimitedProgress");
        score.GetProperty("score").GetDouble().Should().BeApproximately(-2.3281335, 1e-6);
        score.GetProperty("progressValue").GetDouble().Should().BeApproximately(0.0412476, 1e-6);

        var indicator = await platform.GetJsonAsync($"/api/scores/indicators/{kt01.Code}", "viewer");
        indicator.GetProperty("status").GetString().Should().Be("LimitedProgress");
        var inputs = indicator.GetProperty("result");
        inputs.GetProperty("baseValue").GetDouble().Should().Be(5420);
        inputs.GetProperty("currentValue").GetDouble().Should().Be(5500);
        inputs.GetProperty("targetValue").GetDouble().Should().Be(8300);
        inputs.GetProperty("observedGrowth").GetDouble().Should().BeApproximately(0.0036698, 1e-6);
        inputs.GetProperty("requiredGrowth").GetDouble().Should().BeApproximately(0.0889696, 1e-6);

        var feed = await Eventually.Async(
            () => platform.GetJsonAsync($"/api/notifications?indicator={kt01.Code}", TestIndicator.Client),
            f => f.GetArrayLength() > 0,
            what: "alert in the feed"
        );
        var alert = feed[0];
        alert.GetProperty("kind").GetString().Should().Be("FellBehind");
        alert.GetProperty("newStatus").GetString().Should().Be("LimitedProgress");
        alert.GetProperty("department").GetString().Should().Be(TestIndicator.Department);
    }

    [Fact]
    public async Task When_scores_are_summarised_every_indicator_of_the_catalogue_counts_in_its_group()
    {
        var catalogue = await platform.GetJsonAsync("/api/catalogue/indicators", "viewer");
        var summary = await platform.GetJsonAsync("/api/scores", "viewer");

        summary.GetProperty("total").GetInt32().Should().Be(catalogue.GetArrayLength());
        summary
            .GetProperty("groups")
            .EnumerateArray()
            .Select(g => (g.GetProperty("group").GetString(), g.GetProperty("total").GetInt32()))
            .Should()
            .BeEquivalentTo(catalogue.EnumerateArray().GroupBy(i => i.GetProperty("group").GetString()).Select(g => (g.Key, g.Count())));
    }

    [Fact]
    public async Task When_another_department_submits_for_an_indicator_it_gets_403_and_nothing_is_stored()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var response = await platform.SubmitAsync("dept-xd", indicator.Code, "2024", 20);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("field").GetString().Should().Be("indicatorCode");
        (await platform.ScalarAsync("submissions", "SELECT count(*) FROM submissions WHERE indicator_code = @c", ("c", indicator.Code)))
            .Should()
            .Be(0);
    }

    [Fact]
    public async Task When_another_department_reads_a_submission_it_gets_403()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var response = await platform.SubmitAsync(TestIndicator.Client, indicator.Code, "2023", 47);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var statusUrl = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusUrl").GetString()!;

        (await platform.SendAsync(HttpMethod.Get, statusUrl, "dept-xd")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await platform.SendAsync(HttpMethod.Get, statusUrl, TestIndicator.Client)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await platform.SendAsync(HttpMethod.Get, statusUrl, "admin")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("""{"indicatorCode":"ZZ99","period":"2024","value":1}""", 422, "indicatorCode")]
    [InlineData("""{"indicatorCode":"KT05","period":"2024-01","value":1}""", 422, "period")]
    [InlineData("""{"indicatorCode":"KT05","period":"2024Q1","value":1}""", 422, "period")]
    [InlineData("""{"indicatorCode":"KT05","period":"2024","value":1e309}""", 422, "value")]
    [InlineData("""{"indicatorCode":"KT05","period":"2024"}""", 422, "value")]
    [InlineData("""{"indicatorCode":"KT05","period":"2024","value":"seven"}""", 400, "$.value")]
    [InlineData("""{"indicatorCode":"KT05","period":"2024","value":NaN}""", 400, "$.value")]
    [InlineData("""{"indicatorCode":"KT05","period":""", 400, "$.period")]
    public async Task When_a_submission_is_invalid_it_gets_problem_details_naming_the_field(string body, int status, string field)
    {
        const string countAll = "SELECT count(*) FROM submissions";
        var before = await platform.ScalarAsync("submissions", countAll);
        var response = await platform.SendAsync(HttpMethod.Post, "/api/submissions", "dept-tc", body);

        ((int)response.StatusCode).Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue($"the problem should name {field}: {problem}");
        (await platform.ScalarAsync("submissions", countAll)).Should().Be(before);
    }

    [Fact]
    public async Task When_no_token_is_sent_it_gets_401_problem_details()
    {
        var response = await platform.SubmitAsync(null, "KT05", "2024", 7);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task When_a_value_is_resubmitted_for_the_same_period_it_becomes_the_next_revision_and_counts()
    {
        // A copy of XH04 (life expectancy, no baseline): 74.0 then 74.8 for 2024 → revision 2 is the current value and changes
        // the score.
        await using var xh04 = await TestIndicator.CopyOfAsync(platform, "XH04");
        var first = await platform.SubmitAsync(TestIndicator.Client, xh04.Code, "2024", 74.0);
        var firstUrl = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusUrl").GetString()!;
        var firstScored = await Eventually.Async(
            () => platform.GetJsonAsync(firstUrl, TestIndicator.Client),
            s => s.GetProperty("status").GetString() == "Scored",
            what: "revision 1 scored"
        );
        firstScored.GetProperty("revision").GetInt32().Should().Be(1);
        // 74.0 is short of 74.5, and one value without a baseline gives no growth rate: no progress value.
        firstScored.GetProperty("score").GetProperty("status").GetString().Should().Be("NotAvailable");

        var second = await platform.SubmitAsync(TestIndicator.Client, xh04.Code, "2024", 74.8);
        var secondAnswer = await second.Content.ReadFromJsonAsync<JsonElement>();
        secondAnswer.GetProperty("revision").GetInt32().Should().Be(2);

        var indicator = await Eventually.Async(
            () => platform.GetJsonAsync($"/api/scores/indicators/{xh04.Code}", "viewer"),
            s => s.GetProperty("result").GetProperty("basedOnRevision").GetInt32() == 2,
            what: "score based on revision 2"
        );
        await Eventually.Async(
            () => platform.GetJsonAsync(secondAnswer.GetProperty("statusUrl").GetString()!, TestIndicator.Client),
            s => s.GetProperty("status").GetString() == "Scored",
            what: "revision 2 scored"
        );
        // 74.8 ≥ 74.5 (2025 target, ">="): achieved.
        indicator.GetProperty("status").GetString().Should().Be("TargetAchieved");
        indicator.GetProperty("result").GetProperty("currentValue").GetDouble().Should().Be(74.8);

        var history = await platform.GetJsonAsync($"/api/scores/indicators/{xh04.Code}/history", "viewer");
        history
            .EnumerateArray()
            .Select(h => h.GetProperty("cause").GetString())
            .Should()
            .Contain(c => c!.EndsWith("revision 1"))
            .And.Contain(c => c!.EndsWith("revision 2"));
    }

    [Fact]
    public async Task When_a_value_for_a_target_year_arrives_the_milestone_is_evaluated_and_published()
    {
        // A copy of XH05 (doctors per 10,000): at least 15 in 2025. 14 in 2025 misses the milestone; 2030 (19) becomes active.
        await using var xh05 = await TestIndicator.CopyOfAsync(platform, "XH05");
        var response = await platform.SubmitAsync(TestIndicator.Client, xh05.Code, "2025", 14);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);

        var indicator = await Eventually.Async(
            () => platform.GetJsonAsync($"/api/scores/indicators/{xh05.Code}", "viewer"),
            s => s.GetProperty("result").ValueKind == JsonValueKind.Object,
            what: "XH05 scored"
        );
        var milestone = indicator.GetProperty("result").GetProperty("milestones").EnumerateArray().Single();
        milestone.GetProperty("year").GetInt32().Should().Be(2025);
        milestone.GetProperty("met").GetBoolean().Should().BeFalse();
        indicator.GetProperty("result").GetProperty("targetYear").GetInt32().Should().Be(2030);
        (
            await platform.ScalarAsync(
                "scoring",
                "SELECT count(*) FROM outbox_messages WHERE message_type = 'Cnh.Contracts.MilestoneEvaluated'"
                    + " AND payload->>'indicatorCode' = @c AND (payload->>'met')::boolean = false AND (payload->>'year')::int = 2025",
                ("c", xh05.Code)
            )
        )
            .Should()
            .Be(1);
    }
}
