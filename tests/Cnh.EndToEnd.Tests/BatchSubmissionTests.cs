using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;

namespace Cnh.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public class BatchSubmissionTests(Platform platform)
{
    [Fact]
    public async Task When_a_10000_row_csv_batch_is_sent_every_row_is_stored_published_and_scored()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform, frequency: "monthly");
        // 3,334 months from 1900 on, sent in three rounds: 10,000 rows, each round's rows later revisions of the last.
        var months = Enumerable.Range(0, 3334).Select(i => $"{1900 + i / 12}{i % 12 + 1:00}").ToList();
        var csv = new StringBuilder("indicatorCode,period,value,note\n");
        for (var i = 0; i < 10_000; i++)
            csv.Append(
                CultureInfo.InvariantCulture,
                $"{indicator.Code},{months[i % months.Count]},{50 + i / months.Count + i % 7 * 0.1},\"round {i / months.Count}, row {i}\"\n"
            );

        var response = await SendCsvAsync(csv.ToString(), TestIndicator.Client);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
        summary.GetProperty("total").GetInt32().Should().Be(10_000);
        summary.GetProperty("accepted").GetInt32().Should().Be(10_000);
        summary.GetProperty("rejected").GetInt32().Should().Be(0);
        summary.GetProperty("acceptedRows")[9_999].GetProperty("revision").GetInt32().Should().Be(3);
        var batchId = summary.GetProperty("batchId").GetGuid();
        (await platform.ScalarAsync("submissions", "SELECT count(*) FROM submissions WHERE batch_id = @b", ("b", batchId)))
            .Should()
            .Be(10_000);
        (
            await platform.ScalarAsync(
                "submissions",
                "SELECT count(*) FROM submissions WHERE batch_id = @b AND note LIKE 'round %, row %'",
                ("b", batchId)
            )
        )
            .Should()
            .Be(10_000, "quoted CSV fields keep their commas");

        await Eventually.Async(
            () =>
                platform.ScalarAsync(
                    "submissions",
                    "SELECT count(*) FROM submissions WHERE batch_id = @b AND status = 'Scored'",
                    ("b", batchId)
                ),
            n => n == 10_000,
            TimeSpan.FromSeconds(180),
            "all 10,000 rows scored"
        );
        (await platform.ScalarAsync("scoring", "SELECT count(*) FROM observations WHERE indicator_code = @c", ("c", indicator.Code)))
            .Should()
            .Be(10_000);
        // Values of one commit share their received time: scoring stored the burst in groups, not one commit per value.
        (
            await platform.ScalarAsync(
                "scoring",
                "SELECT count(DISTINCT received_at) FROM observations WHERE indicator_code = @c",
                ("c", indicator.Code)
            )
        )
            .Should()
            .BeLessThan(2_500, "scoring commits values in groups");
        var score = await platform.GetJsonAsync($"/api/scores/indicators/{indicator.Code}", "viewer");
        score.GetProperty("result").GetProperty("currentPeriod").GetString().Should().Be(months[^1]);
    }

    [Fact]
    public async Task When_a_batch_is_a_dry_run_it_reports_every_row_and_stores_nothing()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var rows = new object[]
        {
            new
            {
                indicatorCode = indicator.Code,
                period = "2021",
                value = 10,
            },
            new
            {
                indicatorCode = indicator.Code,
                period = "2022",
                value = 11,
            },
            new
            {
                indicatorCode = indicator.Code,
                period = "2023Q1",
                value = 12,
            },
            new
            {
                indicatorCode = "KT01",
                period = "2023",
                value = 6000,
            },
            new { indicatorCode = indicator.Code, period = "2024" },
        };
        var outboxBefore = await platform.ScalarAsync("submissions", "SELECT count(*) FROM outbox_messages");

        var response = await platform.SendAsync(HttpMethod.Post, "/api/submissions/batch?dryRun=true", TestIndicator.Client, rows);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
        summary.GetProperty("dryRun").GetBoolean().Should().BeTrue();
        summary.GetProperty("accepted").GetInt32().Should().Be(2);
        var rejected = summary
            .GetProperty("rejectedRows")
            .EnumerateArray()
            .ToDictionary(r => r.GetProperty("row").GetInt32(), r => r.GetProperty("errors"));
        rejected.Keys.Should().Equal(3, 4, 5);
        rejected[3].TryGetProperty("period", out _).Should().BeTrue("an annual indicator takes no quarter");
        rejected[4].GetProperty("indicatorCode")[0].GetString().Should().Contain("department TC");
        rejected[5].TryGetProperty("value", out _).Should().BeTrue();
        (await platform.ScalarAsync("submissions", "SELECT count(*) FROM submissions WHERE indicator_code = @c", ("c", indicator.Code)))
            .Should()
            .Be(0);
        (await platform.ScalarAsync("submissions", "SELECT count(*) FROM outbox_messages")).Should().Be(outboxBefore);
    }

    [Fact]
    public async Task When_a_batch_mixes_good_and_bad_rows_the_good_are_stored_and_each_bad_row_is_named_with_its_reasons()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        const string csv =
            "Indicator_Code,Period,Value,Note\nCODE,2020,1,\nCODE,2021,abc,\nCODE,2022,3\nCODE,1800,4,\nCODE,2023,5,\"two\nlines\"\n";

        var response = await SendCsvAsync(csv.Replace("CODE", indicator.Code), TestIndicator.Client);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
        summary
            .GetProperty("acceptedRows")
            .EnumerateArray()
            .Select(r => r.GetProperty("period").GetString())
            .Should()
            .Equal("2020", "2023");
        var rejected = summary.GetProperty("rejectedRows").EnumerateArray().ToList();
        rejected.Select(r => r.GetProperty("row").GetInt32()).Should().Equal(2, 3, 4);
        rejected[0].GetProperty("errors").GetProperty("row")[0].GetString().Should().Contain("not a finite number");
        rejected[1].GetProperty("errors").GetProperty("row")[0].GetString().Should().Contain("fields");
        rejected[2].GetProperty("errors").TryGetProperty("period", out _).Should().BeTrue();
        var stored = await platform.GetJsonAsync($"/api/submissions?indicator={indicator.Code}&period=2023", "admin");
        stored[0].GetProperty("note").GetString().Should().Be("two\nlines");
        // Each stored row has its audit entry (who, from which client, in which trace) and its event, written with it.
        var batchId = summary.GetProperty("batchId").GetGuid();
        (
            await platform.ScalarAsync(
                "submissions",
                """
                SELECT count(*) FROM audit_entries a JOIN submissions s ON a.entity_key = s.id::text
                WHERE s.batch_id = @b AND a.action = 'submission.accepted' AND a.client_id = 'dept-e2e' AND a.department = 'E2E'
                  AND a.trace_id IS NOT NULL AND (a.details->>'revision')::int = s.revision
                """,
                ("b", batchId)
            )
        ).Should().Be(2);
        (
            await platform.ScalarAsync(
                "submissions",
                """
                SELECT count(*) FROM outbox_messages o CROSS JOIN LATERAL jsonb_array_elements(o.payload->'values') v
                JOIN submissions s ON (v->>'submissionId')::uuid = s.id
                WHERE s.batch_id = @b AND o.message_type = 'Cnh.Contracts.SubmissionBatchAccepted'
                  AND (v->>'value')::float8 = s.value AND (v->>'revision')::int = s.revision
                """,
                ("b", batchId)
            )
        ).Should().Be(2);

        var allBad = await SendCsvAsync($"indicatorCode,period,value\n{indicator.Code},2020Q9,1\n", TestIndicator.Client);
        allBad.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await allBad.Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("errors")
            .TryGetProperty("rows[1].period", out _)
            .Should()
            .BeTrue();
        (await SendCsvAsync("indicator,when,value\nX,2020,1\n", TestIndicator.Client)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await platform.SendAsync(HttpMethod.Post, "/api/submissions/batch", TestIndicator.Client, "[]"))
            .StatusCode.Should()
            .Be(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task When_a_batch_is_too_large_it_gets_413_and_nothing_is_stored()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var csv = new StringBuilder("indicatorCode,period,value\n");
        for (var i = 0; i < 10_001; i++)
            csv.Append(indicator.Code).Append(",2020,1\n");

        var response = await SendCsvAsync(csv.ToString(), TestIndicator.Client);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await platform.ScalarAsync("submissions", "SELECT count(*) FROM submissions WHERE indicator_code = @c", ("c", indicator.Code)))
            .Should()
            .Be(0);
    }

    [Fact]
    public async Task When_a_batch_is_megabytes_of_empty_rows_it_gets_413_and_costs_submissions_little_memory()
    {
        // Just under the gateway's 8 MB body limit: blank CSV lines, and a JSON array of empty objects.
        var blankLines = "indicatorCode,period,value\n" + new string('\n', 7_900_000);
        var emptyObjects = "[" + string.Join(",", Enumerable.Repeat("{}", 2_600_000)) + "]";
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var submissions = platform.Services["submissions"];
        submissions.ResetPeakMemory();
        var before = submissions.MemoryBytes;

        foreach (var (body, type) in new[] { (blankLines, "text/csv"), (emptyObjects, "application/json") })
        {
            var response = await platform.SendAsync(HttpMethod.Post, "/api/submissions/batch", TestIndicator.Client, body, r =>
                r.Content = new StringContent(body, Encoding.UTF8, type)
            );
            HostileReport.Count((int)response.StatusCode);
            response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge, type);
        }

        // The body itself is read (8 MB of text is 16 MB of characters); the rows stop at the limit.
        (submissions.PeakMemoryBytes - before)
            .Should()
            .BeLessThan(120L * 1024 * 1024, "memory per request is bounded by the body and the row limit");
    }

    [Fact]
    public async Task When_a_batch_is_retried_with_its_idempotency_key_the_first_answer_comes_back_and_nothing_is_stored_twice()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var rows = new[]
        {
            new
            {
                indicatorCode = indicator.Code,
                period = "2021",
                value = 1.5,
            },
            new
            {
                indicatorCode = indicator.Code,
                period = "2022",
                value = 2.5,
            },
        };
        var key = Guid.NewGuid().ToString();

        var first = await platform.SendAsync(HttpMethod.Post, "/api/submissions/batch", TestIndicator.Client, rows, r =>
            r.Headers.Add("Idempotency-Key", key)
        );
        var retry = await platform.SendAsync(HttpMethod.Post, "/api/submissions/batch", TestIndicator.Client, rows, r =>
            r.Headers.Add("Idempotency-Key", key)
        );
        var other = await platform.SendAsync(HttpMethod.Post, "/api/submissions/batch", TestIndicator.Client, rows.Take(1), r =>
            r.Headers.Add("Idempotency-Key", key)
        );

        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        retry.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var firstIds = (await first.Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("acceptedRows")
            .EnumerateArray()
            .Select(r => r.GetProperty("id").GetGuid());
        var retryIds = (await retry.Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("acceptedRows")
            .EnumerateArray()
            .Select(r => r.GetProperty("id").GetGuid());
        retryIds.Should().Equal(firstIds);
        other.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await platform.ScalarAsync("submissions", "SELECT count(*) FROM submissions WHERE indicator_code = @c", ("c", indicator.Code)))
            .Should()
            .Be(2);
    }

    Task<HttpResponseMessage> SendCsvAsync(string csv, string client) =>
        platform.SendAsync(HttpMethod.Post, "/api/submissions/batch", client, null, r =>
            r.Content = new StringContent(csv, Encoding.UTF8, "text/csv")
        );
}
