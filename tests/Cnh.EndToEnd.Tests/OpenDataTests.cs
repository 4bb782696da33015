using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;

namespace Cnh.EndToEnd.Tests;

/// <summary>The open data as the public downloads it (no sign-in, through the gateway): its numbers are the API's.</summary>
[Collection(PlatformCollection.Name)]
public class OpenDataTests(Platform platform)
{
    /// <summary>The platform's day in Hanoi (its clock starts on 15 August 2026, 07:00 there).</summary>
    const string Today = "2026-08-15";

    [Fact]
    public async Task When_a_value_is_revised_after_a_release_latest_shows_the_revision_and_the_dated_release_does_not()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        await SubmitAsync(indicator.Code, "2024", 30);
        await SubmitAsync(indicator.Code, "2025", 40);

        var published = await platform.SendAsync(HttpMethod.Post, "/api/open-data/releases", "admin");
        published.StatusCode.Should().Be(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
        (await published.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("date").GetString().Should().Be(Today);
        var again = await platform.SendAsync(HttpMethod.Post, "/api/open-data/releases", "admin");
        again.StatusCode.Should().Be(HttpStatusCode.Conflict, "a dated release is published once and never changes");
        (await platform.SendAsync(HttpMethod.Post, "/api/open-data/releases", "viewer")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var zipBefore = await GetBytesAsync($"/open-data/{Today}/open-data.zip");

        await SubmitAsync(indicator.Code, "2025", 45);

        // The dated release: as it was when published, whole-file and per indicator, tidy and SDMX.
        var dated = Rows(await GetTextAsync($"/open-data/{Today}/data.csv"), indicator.Code);
        dated.Select(r => (r["period"], r["revision"], r["value"])).Should().Equal(("2024", "1", "30"), ("2025", "1", "40"));
        dated.Should().OnlyContain(r => r["change"] == "new", "no release came before it");
        Rows(await GetTextAsync($"/open-data/{Today}/indicators/{indicator.Code}.csv"), indicator.Code).Should().BeEquivalentTo(dated);
        var datedSdmx = CsvText.Records(await GetTextAsync($"/open-data/{Today}/indicators/{indicator.Code}.sdmx.csv"));
        datedSdmx.Select(r => (r["TIME_PERIOD"], r["OBS_VALUE"], r["REVISION"])).Should().Equal(("2024", "30", "1"), ("2025", "40", "1"));
        (await GetBytesAsync($"/open-data/{Today}/open-data.zip")).Should().Equal(zipBefore, "a dated release is the same file every time");

        // Latest: the revision is there, marked, and its score is the API's.
        var latest = Rows(await GetTextAsync("/open-data/latest/data.csv"), indicator.Code);
        latest
            .Select(r => (r["period"], r["revision"], r["value"], r["latest_revision"], r["change"]))
            .Should()
            .Equal(("2024", "1", "30", "true", ""), ("2025", "1", "40", "false", ""), ("2025", "2", "45", "true", "revised"));
        var api = await platform.GetJsonAsync($"/api/scores/indicators/{indicator.Code}", "viewer");
        var standing = latest[^1];
        Number(standing["score"]).Should().BeApproximately(api.GetProperty("score").GetDouble(), 1e-9);
        Number(standing["progress_value"])
            .Should()
            .BeApproximately(api.GetProperty("result").GetProperty("progressValue").GetDouble(), 1e-9);
        standing["status"].Should().Be(api.GetProperty("status").GetString());
        standing["target_year"].Should().Be("2030");
        Number(standing["target_value"]).Should().Be(100);
        standing["department"].Should().Be(TestIndicator.Department);
        standing["name_vi"].Should().Be($"Chỉ tiêu kiểm thử {indicator.Code}");
        var observations = await platform.GetJsonAsync($"/api/scores/indicators/{indicator.Code}/observations", "viewer");
        DateTimeOffset
            .Parse(standing["submitted_at"], CultureInfo.InvariantCulture)
            .Should()
            .Be(observations.EnumerateArray().Last().GetProperty("submittedAt").GetDateTimeOffset());

        var sdmx = CsvText.Records(await GetTextAsync($"/open-data/latest/indicators/{indicator.Code}.sdmx.csv"));
        sdmx.Select(r =>
                (r["DATAFLOW"], r["FREQ"], r["REF_AREA"], r["INDICATOR"], r["TIME_PERIOD"], r["OBS_VALUE"], r["REVISION"], r["CHANGE"])
            )
            .Should()
            .Equal(
                ("VN_HN:CNH_HDH(1.0)", "A", "VN-HN", indicator.Code, "2024", "30", "1", ""),
                ("VN_HN:CNH_HDH(1.0)", "A", "VN-HN", indicator.Code, "2025", "45", "2", "revised")
            );

        var json = await platform.Http.GetFromJsonAsync<JsonElement>(platform.Url($"/open-data/latest/indicators/{indicator.Code}.json"));
        json.GetProperty("previousRelease").GetString().Should().Be(Today);
        json.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("value").GetDouble()).Should().Equal(30, 40, 45);
        json.GetProperty("indicators")[0].GetProperty("unit").GetString().Should().Be("điểm");
    }

    [Fact]
    public async Task When_the_ZIP_is_downloaded_it_holds_the_data_in_three_formats_the_metadata_and_a_README_of_the_columns()
    {
        var bytes = await GetBytesAsync("/open-data/latest/open-data.zip");
        using var zip = new ZipArchive(new MemoryStream(bytes));
        zip.Entries.Select(e => e.FullName).Should().BeEquivalentTo("README.md", "metadata.json", "data.csv", "data.json", "data.sdmx.csv");
        string Read(string name)
        {
            using var r = new StreamReader(zip.GetEntry(name)!.Open());
            return r.ReadToEnd();
        }

        var readme = Read("README.md");
        var header = CsvText.Parse(Read("data.csv"))[0];
        header
            .Should()
            .Contain([
                "code",
                "name_vi",
                "name_en",
                "group",
                "unit",
                "period",
                "value",
                "revision",
                "submitted_at",
                "department",
                "target_year",
                "target_value",
                "status",
                "progress_value",
                "score",
            ]);
        header
            .Should()
            .OnlyContain(column => readme.Contains($"| {column}") || readme.Contains($", {column}"), "the README explains every column");
        var metadata = JsonDocument.Parse(Read("metadata.json")).RootElement;
        metadata
            .GetProperty("indicators")
            .EnumerateArray()
            .Select(i => i.GetProperty("code").GetString())
            .Should()
            .Contain(PortalSeedCodes);
        JsonDocument
            .Parse(Read("data.json"))
            .RootElement.GetProperty("rows")
            .GetArrayLength()
            .Should()
            .Be(CsvText.Records(Read("data.csv")).Count);
        CsvText
            .Parse(Read("data.sdmx.csv"))[0]
            .Should()
            .StartWith(["DATAFLOW", "FREQ", "REF_AREA", "INDICATOR", "TIME_PERIOD", "OBS_VALUE"]);
    }

    [Fact]
    public async Task When_every_indicators_latest_value_is_read_from_the_open_data_its_score_is_the_APIs()
    {
        // Other tests' values may still be scoring: compare once scoring has caught up with what is stored.
        await Eventually.Async(
            async () =>
            {
                var scores = (await platform.GetJsonAsync("/api/scores/indicators", "viewer"))
                    .EnumerateArray()
                    .Where(s => s.GetProperty("result").ValueKind == JsonValueKind.Object)
                    .ToList();
                var rows = CsvText.Records(await GetTextAsync("/open-data/latest/data.csv"));
                return scores
                    .Select(s =>
                    {
                        var code = s.GetProperty("code").GetString()!;
                        var result = s.GetProperty("result");
                        var row = rows.Where(r =>
                                r["code"] == code
                                && r["latest_revision"] == "true"
                                && r["period"] == result.GetProperty("currentPeriod").GetString()
                            )
                            .ToList();
                        var score = s.GetProperty("score");
                        return
                            row.Count == 1
                            && row[0]["value"] == result.GetProperty("currentValue").GetDouble().ToString("R", CultureInfo.InvariantCulture)
                            && row[0]["status"] == s.GetProperty("status").GetString()
                            && (
                                score.ValueKind == JsonValueKind.Null
                                    ? row[0]["score"] == ""
                                    : Math.Abs(Number(row[0]["score"]) - score.GetDouble()) < 1e-9
                            )
                            ? null
                            : $"{code}: API {s} / open data {string.Join(" | ", row.Select(r => string.Join(",", r.Values)))}";
                    })
                    .Where(m => m is not null)
                    .ToList();
            },
            mismatches => mismatches.Count == 0,
            TimeSpan.FromSeconds(20),
            "the open data to agree with /api/scores/indicators",
            m => string.Join("\n", m)
        );
    }

    [Theory]
    [InlineData("/open-data/2026-13-01/data.csv")]
    [InlineData("/open-data/yesterday/data.csv")]
    [InlineData("/open-data/2020-01-01/data.csv")]
    [InlineData("/open-data/latest/passwords.txt")]
    [InlineData("/open-data/latest/indicators/NOPE.csv")]
    [InlineData("/open-data/latest/indicators/KT01.xml")]
    public async Task When_a_file_that_does_not_exist_is_asked_for_the_answer_is_a_404_problem_saying_what_exists(string path)
    {
        var response = await platform.Http.GetAsync(platform.Url(path));
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().Should().NotBeNullOrEmpty();
    }

    static readonly string[] PortalSeedCodes = Portal.PortalBrowser.SeedCodes;

    async Task SubmitAsync(string code, string period, double value)
    {
        var response = await platform.SubmitAsync(TestIndicator.Client, code, period, value, note: "open data test");
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Eventually.Async(
            () =>
                platform.ScalarAsync(
                    "scoring",
                    "SELECT count(*) FROM indicator_scores WHERE indicator_code = @c AND result->>'basedOnSubmissionId' = @id",
                    ("c", code),
                    ("id", id.ToString())
                ),
            n => n == 1,
            TimeSpan.FromSeconds(15),
            $"{code} {period} scored"
        );
    }

    async Task<string> GetTextAsync(string path)
    {
        var response = await platform.Http.GetAsync(platform.Url(path));
        response.StatusCode.Should().Be(HttpStatusCode.OK, $"{path}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadAsStringAsync();
    }

    async Task<byte[]> GetBytesAsync(string path)
    {
        var response = await platform.Http.GetAsync(platform.Url(path));
        response.StatusCode.Should().Be(HttpStatusCode.OK, path);
        return await response.Content.ReadAsByteArrayAsync();
    }

    static List<Dictionary<string, string>> Rows(string csv, string code) => CsvText.Records(csv).Where(r => r["code"] == code).ToList();

    static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
