using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;

namespace Cnh.EndToEnd.Tests;

/// <summary>A client that retries with the same Idempotency-Key gets its first answer back, not a second submission.</summary>
[Collection(PlatformCollection.Name)]
public class IdempotencyKeyTests(Platform platform)
{
    [Fact]
    public async Task When_a_submission_is_retried_with_the_same_key_the_first_answer_comes_back_and_one_submission_exists()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var key = Guid.NewGuid().ToString();
        var body = new
        {
            indicatorCode = indicator.Code,
            period = "2019",
            value = 70.5,
        };

        var first = await SubmitAsync(TestIndicator.Client, key, body);
        // Sequential retries, then five at once as a client with a short timeout might send them.
        var retries = new List<HttpResponseMessage> { await SubmitAsync(TestIndicator.Client, key, body) };
        retries.AddRange(await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => SubmitAsync(TestIndicator.Client, key, body))));
        // The same values, formatted differently, are the same request.
        retries.Add(
            await SubmitAsync(
                TestIndicator.Client,
                key,
                $$"""{ "value": 70.50, "period": "2019", "indicatorCode": "{{indicator.Code}}" }"""
            )
        );

        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var answer = await first.Content.ReadFromJsonAsync<JsonElement>();
        foreach (var retry in retries)
        {
            retry.StatusCode.Should().Be(HttpStatusCode.Accepted);
            retry.Headers.Location.Should().Be(first.Headers.Location, "the first answer's Location too");
            var again = await retry.Content.ReadFromJsonAsync<JsonElement>();
            foreach (var field in new[] { "id", "revision", "status", "statusUrl", "flagged", "traceId" })
                again.GetProperty(field).ToString().Should().Be(answer.GetProperty(field).ToString(), field);
        }
        (
            await platform.ScalarAsync(
                "submissions",
                "SELECT count(*) FROM submissions WHERE indicator_code = @c AND period = '2019'",
                ("c", indicator.Code)
            )
        )
            .Should()
            .Be(1);
        (
            await platform.ScalarAsync(
                "submissions",
                "SELECT count(*) FROM outbox_messages WHERE payload->>'indicatorCode' = @c AND payload->>'period' = '2019'",
                ("c", indicator.Code)
            )
        )
            .Should()
            .Be(1);
    }

    [Fact]
    public async Task When_a_key_is_reused_with_another_body_it_gets_409_and_nothing_is_stored()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var key = Guid.NewGuid().ToString();
        (
            await SubmitAsync(
                TestIndicator.Client,
                key,
                new
                {
                    indicatorCode = indicator.Code,
                    period = "2018",
                    value = 60,
                }
            )
        ).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var reused = await SubmitAsync(
            TestIndicator.Client,
            key,
            new
            {
                indicatorCode = indicator.Code,
                period = "2018",
                value = 61,
            }
        );

        reused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await reused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("Idempotency-Key");
        (
            await platform.ScalarAsync(
                "submissions",
                "SELECT count(*) FROM submissions WHERE indicator_code = @c AND period = '2018'",
                ("c", indicator.Code)
            )
        )
            .Should()
            .Be(1);
    }

    [Fact]
    public async Task When_another_client_uses_the_same_key_it_is_a_separate_request()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var key = Guid.NewGuid().ToString();
        var body = new
        {
            indicatorCode = indicator.Code,
            period = "2017",
            value = 55,
        };

        var department = await (await SubmitAsync(TestIndicator.Client, key, body)).Content.ReadFromJsonAsync<JsonElement>();
        var admin = await (await SubmitAsync("admin", key, body)).Content.ReadFromJsonAsync<JsonElement>();

        admin.GetProperty("id").GetGuid().Should().NotBe(department.GetProperty("id").GetGuid());
        admin.GetProperty("revision").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task When_the_key_is_not_printable_or_too_long_it_gets_400()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var response = await SubmitAsync(
            TestIndicator.Client,
            new string('k', 201),
            new
            {
                indicatorCode = indicator.Code,
                period = "2016",
                value = 50,
            }
        );

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("errors")
            .TryGetProperty("Idempotency-Key", out _)
            .Should()
            .BeTrue();
        (
            await platform.ScalarAsync(
                "submissions",
                "SELECT count(*) FROM submissions WHERE indicator_code = @c AND period = '2016'",
                ("c", indicator.Code)
            )
        )
            .Should()
            .Be(0);
    }

    Task<HttpResponseMessage> SubmitAsync(string client, string key, object body) =>
        platform.SendAsync(HttpMethod.Post, "/api/submissions", client, body, request => request.Headers.Add("Idempotency-Key", key));
}
