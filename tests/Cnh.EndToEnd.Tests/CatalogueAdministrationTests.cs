using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cnh.EndToEnd.Tests.Infrastructure;
using Npgsql;

namespace Cnh.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public class CatalogueAdministrationTests(Platform platform)
{
    [Fact]
    public async Task When_an_admin_creates_changes_confirms_and_retires_an_indicator_every_change_is_a_version_replicas_follow()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var code = indicator.Code;
        (await platform.SendAsync(HttpMethod.Post, "/api/catalogue/indicators", "admin", TestIndicator.Definition(code)))
            .StatusCode.Should()
            .Be(HttpStatusCode.Conflict, "POST creates; an existing code is changed with PUT");

        var changed = await platform.SendAsync(
            HttpMethod.Put,
            $"/api/catalogue/indicators/{code}",
            "admin",
            TestIndicator.Definition(code, target2030: 150)
        );
        changed.StatusCode.Should().Be(HttpStatusCode.OK);
        var confirmed = await platform.SendAsync(HttpMethod.Post, $"/api/catalogue/indicators/{code}/confirm", "admin");
        (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("confidence").GetString().Should().Be("documented");
        (await platform.SendAsync(HttpMethod.Post, $"/api/catalogue/indicators/{code}/confirm", "dept-tc"))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden);

        var versions = await platform.GetJsonAsync($"/api/catalogue/indicators/{code}/versions", "viewer");
        versions
            .EnumerateArray()
            .Select(v => (v.GetProperty("version").GetInt32(), v.GetProperty("change").GetString()))
            .Should()
            .Equal((1, "created"), (2, "updated"), (3, "confirmed"));
        versions[0].GetProperty("definition").GetProperty("targets")[0].GetProperty("min").GetDouble().Should().Be(100);
        versions[1].GetProperty("definition").GetProperty("targets")[0].GetProperty("min").GetDouble().Should().Be(150);
        versions[2].GetProperty("changedBy").GetString().Should().Be("admin");
        await indicator.WaitForReplicasAsync(3);

        var retired = await platform.SendAsync(HttpMethod.Post, $"/api/catalogue/indicators/{code}/retire", "admin");
        var retiredVersion = (await retired.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
        retiredVersion.Should().Be(4);
        await indicator.WaitForReplicasAsync(4);
        var list = await platform.GetJsonAsync("/api/catalogue/indicators", "viewer");
        list.EnumerateArray().Select(i => i.GetProperty("code").GetString()).Should().NotContain(code);
        var rejected = await platform.SubmitAsync(TestIndicator.Client, code, "2024", 1);
        rejected.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "a retired indicator takes no more values");
    }

    [Fact]
    public async Task When_a_definition_breaks_a_rule_it_gets_422_naming_each_field_and_no_version_is_made()
    {
        var code = $"E2E-BAD{Random.Shared.Next(1000, 9999)}";
        var node = JsonSerializer.SerializeToNode(TestIndicator.Definition(code))!.AsObject();
        node["group"] = "NOPE";
        node["direction"] = "decrease"; // with op ">=": does not fit
        node["dueDays"] = -1;
        node["plausibleMin"] = 10;
        node["plausibleMax"] = 5;
        node["targets"] = JsonNode.Parse("""[{"year":2030,"min":5,"max":1,"op":"range"},{"year":2025,"min":1,"max":2,"op":"range"}]""");

        var response = await platform.SendAsync(HttpMethod.Post, "/api/catalogue/indicators", "admin", node.ToJsonString());

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors
            .EnumerateObject()
            .Select(e => e.Name)
            .Should()
            .Contain(["group", "dueDays", "plausibleMin", "targets[0].min", "targets[1].year"]);
        (await platform.ScalarAsync("catalogue", "SELECT count(*) FROM indicator_versions WHERE code = @c", ("c", code))).Should().Be(0);
    }

    [Fact]
    public async Task When_the_catalogue_is_exported_and_imported_again_nothing_changes_and_an_edited_import_makes_new_versions()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var exportResponse = await platform.SendAsync(HttpMethod.Get, "/api/catalogue/export", "admin");
        var exported = JsonNode.Parse(await exportResponse.Content.ReadAsStringAsync())!.AsObject();
        exported["indicators"]!.AsArray().Select(i => (string)i!["code"]!).Should().Contain(["KT01", "MT04", indicator.Code]);
        exported["groups"]!.AsArray().Should().HaveCount(4);
        exported["catalogue"]!.GetValue<string>().Should().NotBeNullOrEmpty();

        var same = await ImportAsync(exported.ToJsonString(), dryRun: false);
        same.GetProperty("updated").GetArrayLength().Should().Be(0);
        same.GetProperty("created").GetArrayLength().Should().Be(0);

        var edited = exported.DeepClone().AsObject();
        var mine = edited["indicators"]!.AsArray().First(i => (string)i!["code"]! == indicator.Code)!;
        mine["nameEn"] = "Renamed by import";
        mine["weight"] = 2;
        var dryRun = await ImportAsync(edited.ToJsonString(), dryRun: true);
        dryRun.GetProperty("updated").EnumerateArray().Select(c => c.GetString()).Should().Equal(indicator.Code);
        (await platform.GetJsonAsync($"/api/catalogue/indicators/{indicator.Code}", "admin"))
            .GetProperty("nameEn")
            .GetString()
            .Should()
            .NotBe("Renamed by import", "a dry run changes nothing");

        var real = await ImportAsync(edited.ToJsonString(), dryRun: false);
        real.GetProperty("updated").EnumerateArray().Select(c => c.GetString()).Should().Equal(indicator.Code);
        var after = await platform.GetJsonAsync($"/api/catalogue/indicators/{indicator.Code}", "admin");
        after.GetProperty("nameEn").GetString().Should().Be("Renamed by import");
        after.GetProperty("version").GetInt32().Should().Be(2);
        var versions = await platform.GetJsonAsync($"/api/catalogue/indicators/{indicator.Code}/versions", "admin");
        versions[1].GetProperty("change").GetString().Should().Be("imported");
        await indicator.WaitForReplicasAsync(2);

        var broken = edited.DeepClone().AsObject();
        broken["indicators"]!.AsArray()[3]!["direction"] = "sideways";
        var invalid = await platform.SendAsync(HttpMethod.Post, "/api/catalogue/import", "admin", broken.ToJsonString());
        invalid.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await invalid.Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("errors")
            .TryGetProperty("indicators[3].direction", out _)
            .Should()
            .BeTrue();
        (await platform.SendAsync(HttpMethod.Post, "/api/catalogue/import", "dept-tc", edited.ToJsonString()))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task When_the_catalogue_changes_the_audit_says_who_did_what_and_the_trail_cannot_be_altered()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        await platform.SendAsync(HttpMethod.Post, $"/api/catalogue/indicators/{indicator.Code}/confirm", "admin");

        var audit = await platform.GetJsonAsync($"/api/catalogue/audit?entity=indicator&key={indicator.Code}", "admin");
        audit.EnumerateArray().Select(a => a.GetProperty("action").GetString()).Should().Equal("indicator.confirmed", "indicator.created");
        audit[0].GetProperty("clientId").GetString().Should().Be("admin");
        audit[0].GetProperty("role").GetString().Should().Be("admin");
        audit[0].GetProperty("traceId").GetString().Should().MatchRegex("^[0-9a-f]{32}$");
        (await platform.SendAsync(HttpMethod.Get, "/api/catalogue/audit", "dept-tc")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        await using var connection = new NpgsqlConnection(platform.ConnectionString("catalogue"));
        await connection.OpenAsync();
        foreach (
            var sql in new[]
            {
                "UPDATE audit_entries SET client_id = 'someone-else'",
                "DELETE FROM audit_entries",
                "TRUNCATE audit_entries",
            }
        )
        {
            var tamper = async () =>
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            };
            (await tamper.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("immutable");
        }
        (await platform.ScalarAsync("catalogue", "SELECT count(*) FROM audit_entries WHERE client_id = 'someone-else'")).Should().Be(0);
    }

    async Task<JsonElement> ImportAsync(string document, bool dryRun)
    {
        var response = await platform.SendAsync(
            HttpMethod.Post,
            $"/api/catalogue/import?dryRun={dryRun.ToString().ToLowerInvariant()}",
            "admin",
            document
        );
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
