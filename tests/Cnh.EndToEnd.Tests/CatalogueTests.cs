using System.Net;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;

namespace Cnh.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public class CatalogueTests(Platform platform)
{
    [Fact]
    public async Task When_the_catalogue_starts_it_serves_the_seed_26_indicators_in_4_groups()
    {
        var indicators = await platform.GetJsonAsync("/api/catalogue/indicators", "viewer");
        var groups = await platform.GetJsonAsync("/api/catalogue/groups", "viewer");
        var departments = await platform.GetJsonAsync("/api/catalogue/departments", "viewer");

        indicators.GetArrayLength().Should().Be(26);
        groups
            .EnumerateArray()
            .Select(g => (g.GetProperty("code").GetString(), g.GetProperty("indicatorCount").GetInt32()))
            .Should()
            .Equal(("KT", 8), ("VHXH", 9), ("DT", 5), ("MT", 4));
        departments
            .EnumerateArray()
            .Count(d => !d.GetProperty("code").GetString()!.StartsWith("E2E"))
            .Should()
            .Be(13, "the seed's 13 (E2E… are the tests' own)");

        var kt01 = await platform.GetJsonAsync("/api/catalogue/indicators/KT01", "dept-tc");
        kt01.GetProperty("confidence").GetString().Should().Be("documented");
        kt01.GetProperty("targets")[1].GetProperty("min").GetDouble().Should().Be(12500);
        var byDepartment = await platform.GetJsonAsync("/api/catalogue/indicators?department=YT", "viewer");
        byDepartment
            .EnumerateArray()
            .Should()
            .OnlyContain(i =>
                i.GetProperty("responsibleDepartment").GetString() == "YT"
                || i.GetProperty("coordinatingDepartments").EnumerateArray().Any(d => d.GetString() == "YT")
            );
    }

    [Fact]
    public async Task When_an_unknown_indicator_is_requested_it_gets_404_problem_details()
    {
        var response = await platform.SendAsync(HttpMethod.Get, "/api/catalogue/indicators/NOPE", "viewer");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task When_the_catalogue_restarts_the_seed_adds_and_publishes_nothing_again()
    {
        const string definedEvents = "SELECT count(*) FROM outbox_messages WHERE message_type = 'Cnh.Contracts.IndicatorDefined'";
        const string versions = "SELECT sum(version) FROM indicators";
        var before = await platform.ScalarAsync("catalogue", definedEvents);
        var versionsBefore = await platform.ScalarAsync("catalogue", versions);

        var catalogue = platform.Services["catalogue"];
        catalogue.Stop();
        catalogue.Start();
        await catalogue.WaitReadyAsync(TimeSpan.FromSeconds(60));

        (await platform.ScalarAsync("catalogue", "SELECT count(*) FROM indicators WHERE code NOT LIKE 'E2E-%'")).Should().Be(26);
        (await platform.ScalarAsync("catalogue", versions)).Should().Be(versionsBefore, "a restart changes no definition");
        (await platform.ScalarAsync("catalogue", definedEvents)).Should().Be(before);
    }

    [Fact]
    public async Task When_an_admin_changes_a_target_the_replicas_converge_and_the_indicator_is_rescored()
    {
        // An indicator of the test's own: 29.5 by 2025. 30 in 2024 achieves it; raising the 2025 target to 31 un-achieves it.
        await using var indicator = await TestIndicator.CreateAsync(platform);
        object Targets(double target2025) =>
            new object[]
            {
                new
                {
                    year = 2025,
                    min = target2025,
                    op = ">=",
                },
                new
                {
                    year = 2030,
                    min = 32,
                    op = ">=",
                },
            };
        string Definition(double target2025)
        {
            var definition = JsonSerializer.SerializeToNode(TestIndicator.Definition(indicator.Code))!;
            definition["targets"] = JsonSerializer.SerializeToNode(Targets(target2025));
            return definition.ToJsonString();
        }
        (await platform.SendAsync(HttpMethod.Put, $"/api/catalogue/indicators/{indicator.Code}", "admin", Definition(29.5)))
            .StatusCode.Should()
            .Be(HttpStatusCode.OK);
        await indicator.WaitForReplicasAsync(2);
        var submitted = await platform.SubmitAsync(TestIndicator.Client, indicator.Code, "2024", 30);
        submitted.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Eventually.Async(
            () => platform.GetJsonAsync($"/api/scores/indicators/{indicator.Code}", "viewer"),
            s => s.GetProperty("status").GetString() == "TargetAchieved",
            what: "achieved at 29.5"
        );

        (await platform.SendAsync(HttpMethod.Put, $"/api/catalogue/indicators/{indicator.Code}", TestIndicator.Client, Definition(31)))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden, "a department reports values; it does not set its targets");
        (await platform.SendAsync(HttpMethod.Put, $"/api/catalogue/indicators/{indicator.Code}", "admin", Definition(31)))
            .StatusCode.Should()
            .Be(HttpStatusCode.OK);

        var rescored = await Eventually.Async(
            () => platform.GetJsonAsync($"/api/scores/indicators/{indicator.Code}", "viewer"),
            s => s.GetProperty("cause").GetString() == "catalogue version 3",
            what: "rescored after the target change"
        );
        // Short of 31 now, and one value without a baseline gives no growth rate: no progress value.
        rescored.GetProperty("status").GetString().Should().Be("NotAvailable");
        rescored.GetProperty("result").GetProperty("targetValue").GetDouble().Should().Be(31);
        await indicator.WaitForReplicasAsync(3);
    }

    [Fact]
    public async Task When_an_admin_sends_an_inconsistent_definition_it_gets_422_naming_each_field()
    {
        var invalid = """
            {"code":"KT08","group":"XX","nameVi":"x","nameEn":"x","unit":"%","direction":"increase",
             "targets":[{"year":2030,"min":5,"max":3,"op":"range"},{"year":2025,"max":4,"op":"<"}],
             "responsibleDepartment":"NOPE","reportingFrequency":"annual","confidence":"inferred"}
            """;
        var response = await platform.SendAsync(HttpMethod.Put, "/api/catalogue/indicators/KT08", "admin", invalid);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var errors = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<JsonElement>(response.Content)).GetProperty(
            "errors"
        );
        errors
            .EnumerateObject()
            .Select(e => e.Name)
            .Should()
            .Contain(["group", "responsibleDepartment", "targets[0].min", "targets[1].year", "targets[1].op"]);
        (await platform.ScalarAsync("catalogue", "SELECT version FROM indicators WHERE code = 'KT08'")).Should().Be(1);
    }
}
