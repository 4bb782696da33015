using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using Npgsql;

namespace Cnh.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public class PlausibilityTests(Platform platform)
{
    [Fact]
    public async Task When_a_percentage_is_outside_0_to_100_it_is_rejected_unless_the_catalogue_allows_more()
    {
        await using var share = await TestIndicator.CreateAsync(platform, unit: "% hộ");
        await using var wide = await TestIndicator.CreateAsync(platform, unit: "%", plausibleMin: -50, plausibleMax: 150);

        var tooHigh = await Submit(share.Code, "2024", 100.5);
        tooHigh.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await tooHigh.Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("errors")
            .GetProperty("value")[0]
            .GetString()
            .Should()
            .Contain("0 to 100");
        (await Submit(share.Code, "2024", -1)).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await Submit(share.Code, "2024", 100)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await Submit(wide.Code, "2024", 120)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await Submit(wide.Code, "2023", -20)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await Submit(wide.Code, "2022", 151)).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await platform.ScalarAsync("submissions", "SELECT count(*) FROM submissions WHERE indicator_code = @c", ("c", share.Code)))
            .Should()
            .Be(1);
    }

    [Fact]
    public async Task When_a_value_is_far_from_the_history_it_needs_a_note_and_is_then_accepted_flagged()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var history = Enumerable
            .Range(2015, 6)
            .Select(year => new
            {
                indicatorCode = indicator.Code,
                period = year.ToString(),
                value = 50.0 + year % 3,
            })
            .ToArray();
        (await platform.SendAsync(HttpMethod.Post, "/api/submissions/batch", TestIndicator.Client, history))
            .StatusCode.Should()
            .Be(HttpStatusCode.Accepted);

        (await Submit(indicator.Code, "2021", 52.5)).StatusCode.Should().Be(HttpStatusCode.Accepted, "a usual value needs nothing");
        var unexplained = await Submit(indicator.Code, "2022", 500);
        unexplained.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await unexplained.Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("errors")
            .GetProperty("note")[0]
            .GetString()
            .Should()
            .Contain("far from");

        var explained = await Submit(indicator.Code, "2022", 500, "New survey method from 2022");
        explained.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var answer = await explained.Content.ReadFromJsonAsync<JsonElement>();
        answer.GetProperty("flagged").GetBoolean().Should().BeTrue();
        var stored = await platform.GetJsonAsync($"/api/submissions/{answer.GetProperty("id").GetGuid()}", TestIndicator.Client);
        stored.GetProperty("flagged").GetBoolean().Should().BeTrue();
        stored.GetProperty("flagReason").GetString().Should().Contain("z =");
        stored.GetProperty("note").GetString().Should().Be("New survey method from 2022");
    }

    [Fact]
    public async Task When_a_department_submits_the_audit_records_who_from_which_client_and_only_admins_read_it()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var response = await Submit(indicator.Code, "2024", 7);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var audit = await platform.GetJsonAsync($"/api/submissions/audit?entity=submission&key={id}", "admin");
        audit.GetArrayLength().Should().Be(1);
        audit[0].GetProperty("action").GetString().Should().Be("submission.accepted");
        audit[0].GetProperty("clientId").GetString().Should().Be(TestIndicator.Client);
        audit[0].GetProperty("department").GetString().Should().Be(TestIndicator.Department);
        audit[0].GetProperty("details").GetProperty("value").GetDouble().Should().Be(7);
        (await platform.SendAsync(HttpMethod.Get, "/api/submissions/audit", TestIndicator.Client))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden);

        await using var connection = new NpgsqlConnection(platform.ConnectionString("submissions"));
        await connection.OpenAsync();
        await using var tamper = new NpgsqlCommand("DELETE FROM audit_entries", connection);
        await FluentActions.Awaiting(() => tamper.ExecuteNonQueryAsync()).Should().ThrowAsync<PostgresException>();
        (await platform.ScalarAsync("submissions", "SELECT count(*) FROM audit_entries WHERE entity_key = @k", ("k", id.ToString())))
            .Should()
            .Be(1);
    }

    Task<HttpResponseMessage> Submit(string code, string period, double value, string? note = null) =>
        platform.SendAsync(
            HttpMethod.Post,
            "/api/submissions",
            TestIndicator.Client,
            new
            {
                indicatorCode = code,
                period,
                value,
                note,
            }
        );
}
