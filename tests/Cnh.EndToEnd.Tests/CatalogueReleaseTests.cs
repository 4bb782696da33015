using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;

namespace Cnh.EndToEnd.Tests;

/// <summary>
/// A release ships a newer seed document: the catalogue, restarted on it, changes what the document changed as new
/// versions and keeps what an administrator changed. The test puts the shipped seed back at the end, which is itself a
/// release (KT06 returns to its targets), and the administrator's change back by hand.
/// </summary>
[Collection(PlatformCollection.Name)]
public class CatalogueReleaseTests(Platform platform)
{
    [Fact]
    public async Task When_a_newer_seed_ships_it_changes_KT06_as_a_new_version_and_its_score_and_keeps_an_administrators_KT08()
    {
        var catalogue = platform.Services["catalogue"];
        var shippedFile = Path.Combine(Path.GetDirectoryName(catalogue.Dll)!, "Seed", "hanoi-cnh-hdh-2030.json");
        var shipped = JsonNode.Parse(await File.ReadAllTextAsync(shippedFile))!;
        var tc = await platform.DepartmentClientAsync("TC");
        (await platform.SubmitAsync(tc, "KT06", "2024", 52)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var scoreBefore = await Eventually.Async(
            () => platform.GetJsonAsync("/api/scores/indicators/KT06", "viewer"),
            s =>
                s.GetProperty("result").ValueKind == JsonValueKind.Object
                && s.GetProperty("result").GetProperty("currentPeriod").GetString() == "2024",
            TimeSpan.FromSeconds(20),
            "KT06 scored on its 2024 value",
            s => s.GetRawText()
        );
        // An administrator changes KT08 after the last release.
        var kt08 = Indicator(shipped, "KT08");
        var adminKt08 = kt08.DeepClone();
        adminKt08["nationalAlignment"] = "Changed by the statistics office";
        (await platform.SendAsync(HttpMethod.Put, "/api/catalogue/indicators/KT08", "admin", adminKt08))
            .StatusCode.Should()
            .Be(HttpStatusCode.OK);
        var adminVersion = (await LatestVersionAsync("KT08")).GetProperty("version").GetInt32();

        // The newer document: KT06 aims higher, and KT08 changes too, where the administrator's version must win.
        var newer = shipped.DeepClone();
        foreach (var target in Indicator(newer, "KT06")["targets"]!.AsArray())
            target!["min"] = target["year"]!.GetValue<int>() == 2025 ? 60 : 70;
        Indicator(newer, "KT08")["targets"]![0]!["min"] = 1.5;
        var newerFile = Path.Combine(Path.GetTempPath(), $"hanoi-cnh-hdh-2030-next-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(newerFile, newer.ToJsonString());
        var definedBefore = await DefinedEventsAsync();
        try
        {
            await RestartCatalogueAsync(newerFile);

            var kt06 = await LatestVersionAsync("KT06");
            kt06.GetProperty("change").GetString().Should().Be("released");
            var document = kt06.GetProperty("document").GetString()!;
            document.Should().StartWith(Path.GetFileName(newerFile) + "@", "the version says which document its targets came from");
            kt06.GetProperty("changedBy").GetString().Should().Be($"release:{document}");
            kt06.GetProperty("definition")
                .GetProperty("targets")
                .EnumerateArray()
                .Select(t => t.GetProperty("min").GetDouble())
                .Should()
                .Equal(60, 70);

            var kt08Now = await LatestVersionAsync("KT08");
            kt08Now.GetProperty("version").GetInt32().Should().Be(adminVersion, "the administrator's version stays");
            kt08Now.GetProperty("definition").GetProperty("nationalAlignment").GetString().Should().Be("Changed by the statistics office");

            var release = (await platform.GetJsonAsync("/api/catalogue/releases", "viewer")).EnumerateArray().First();
            release.GetProperty("document").GetString().Should().Be(document);
            var summary = release.GetProperty("summary");
            summary.GetProperty("updated").EnumerateArray().Select(c => c.GetString()).Should().Equal("KT06");
            var conflict = summary.GetProperty("conflicts").EnumerateArray().Single();
            conflict.GetProperty("code").GetString().Should().Be("KT08");
            conflict.GetProperty("keptVersion").GetInt32().Should().Be(adminVersion);
            (await platform.GetJsonAsync("/api/catalogue/audit?entity=indicator&key=KT08", "admin"))
                .EnumerateArray()
                .Should()
                .Contain(a => a.GetProperty("action").GetString() == "indicator.release-conflict", "the conflict is audited");
            (await DefinedEventsAsync()).Should().Be(definedBefore + 1, "only KT06 is published again");

            var scoreAfter = await Eventually.Async(
                () => platform.GetJsonAsync("/api/scores/indicators/KT06", "viewer"),
                s => s.GetProperty("cause").GetString() == $"catalogue version {kt06.GetProperty("version").GetInt32()}",
                TimeSpan.FromSeconds(20),
                "KT06 rescored on its new targets",
                s => s.GetRawText()
            );
            scoreAfter.GetProperty("score").GetDouble().Should().BeLessThan(scoreBefore.GetProperty("score").GetDouble());

            // The same document again is the same release: nothing changes.
            var versions = await platform.ScalarAsync("catalogue", "SELECT count(*) FROM indicator_versions");
            await RestartCatalogueAsync(newerFile);
            (await platform.ScalarAsync("catalogue", "SELECT count(*) FROM indicator_versions")).Should().Be(versions);
        }
        finally
        {
            await RestartCatalogueAsync(null);
            File.Delete(newerFile);
            await platform.SendAsync(HttpMethod.Put, "/api/catalogue/indicators/KT08", "admin", kt08);
        }
        Indicator(JsonNode.Parse((await LatestVersionAsync("KT06")).GetProperty("definition").GetRawText())!, null)["targets"]!
            .ToJsonString()
            .Should()
            .Be(Indicator(shipped, "KT06")["targets"]!.ToJsonString(), "the shipped seed, applied again, is a release too");
    }

    static JsonNode Indicator(JsonNode document, string? code) =>
        code is null ? document : document["indicators"]!.AsArray().Single(i => i!["code"]!.GetValue<string>() == code)!;

    async Task<JsonElement> LatestVersionAsync(string code) =>
        (await platform.GetJsonAsync($"/api/catalogue/indicators/{code}/versions", "admin")).EnumerateArray().Last();

    Task<long> DefinedEventsAsync() =>
        platform.ScalarAsync("catalogue", "SELECT count(*) FROM outbox_messages WHERE message_type = 'Cnh.Contracts.IndicatorDefined'");

    async Task RestartCatalogueAsync(string? seedFile)
    {
        var catalogue = platform.Services["catalogue"];
        if (seedFile is null)
            catalogue.Environment.Remove("Catalogue__Seed__File");
        else
            catalogue.Environment["Catalogue__Seed__File"] = seedFile;
        catalogue.Stop();
        catalogue.Start();
        await catalogue.WaitReadyAsync(TimeSpan.FromSeconds(60));
    }
}
