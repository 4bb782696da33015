using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;
using Xunit.Abstractions;

namespace Cnh.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public class TracingTests(Platform platform, ITestOutputHelper output)
{
    [Fact]
    public async Task When_a_submission_flows_one_trace_spans_gateway_submissions_scoring_and_notifications()
    {
        // A copy of DT01: base 53.9 (2022), 55 in 2024 → p ≈ 0.28, LimitedProgress: a status change, so notifications consumes
        // too.
        await using var indicator = await TestIndicator.CopyOfAsync(platform, "DT01");
        var traceId = ActivityTraceId.CreateRandom();
        var response = await platform.SendAsync(
            HttpMethod.Post,
            "/api/submissions",
            TestIndicator.Client,
            new
            {
                indicatorCode = indicator.Code,
                period = "2024",
                value = 55,
            },
            request => request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01")
        );
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);

        // The hops of one submission: the gateway's proxy, the submissions endpoint, scoring consuming SubmissionAccepted,
        // notifications consuming IndicatorStatusChanged; the last two only meet the first through RabbitMQ and outboxes.
        (string Service, string Span)[] hops =
        [
            ("gateway", "POST /api/submissions/{**rest}"),
            ("submissions", "POST /api/submissions/"),
            ("submissions", "outbox publish SubmissionAccepted"),
            ("scoring", "scoring-submission-accepted process"),
            ("scoring", "outbox publish IndicatorStatusChanged"),
            ("notifications", "notifications-indicator-status-changed process"),
        ];
        var spans = await SpansOfAsync(traceId.ToString(), hops);

        foreach (var span in spans)
            output.WriteLine($"{span.Service.PadRight(14)} {span.Name}");
        spans.Select(s => s.Service).Distinct().Should().Contain(["gateway", "submissions", "scoring", "notifications"]);
        spans
            .Should()
            .Contain(
                s => s.Service == "submissions" && (s.Attributes.ContainsKey("db.system.name") || s.Attributes.ContainsKey("db.system")),
                "Npgsql's spans show each statement"
            );
    }

    [Fact]
    public async Task When_a_value_makes_an_indicator_fall_behind_its_trace_reaches_the_webhook_and_ops_can_find_it_from_the_submission()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        await using var receiver = await WebhookReceiver.StartAsync();
        var subscribed = await platform.SendAsync(
            HttpMethod.Post,
            "/api/subscriptions",
            TestIndicator.Client,
            new
            {
                channel = "webhook",
                url = receiver.Url,
                secret = receiver.Secret,
            }
        );
        subscribed.StatusCode.Should().Be(HttpStatusCode.Created);
        var subscription = (await subscribed.Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("subscription")
            .GetProperty("id")
            .GetString();
        try
        {
            await FallBehindAndFollowAsync(indicator, receiver);
        }
        finally
        {
            // The receiver goes away with this test: later alerts of the test department must not be sent to it.
            await platform.SendAsync(HttpMethod.Delete, $"/api/subscriptions/{subscription}", TestIndicator.Client);
        }
    }

    async Task FallBehindAndFollowAsync(TestIndicator indicator, WebhookReceiver receiver)
    {
        (await platform.SubmitAsync(TestIndicator.Client, indicator.Code, "2022", 50)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Eventually.Async(
            () => platform.ScalarAsync("scoring", "SELECT count(*) FROM indicator_scores WHERE indicator_code = @c", ("c", indicator.Code)),
            n => n > 0,
            what: "the first value scored"
        );

        // A lower value: the indicator deteriorates, falls behind, and the department's webhook is called.
        var response = await platform.SubmitAsync(TestIndicator.Client, indicator.Code, "2024", 40);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var traceId = accepted.GetProperty("traceId").GetString()!;
        traceId.Should().MatchRegex("^[0-9a-f]{32}$");
        response.Headers.GetValues("trace-id").Should().Equal(traceId);
        var stored = await platform.GetJsonAsync($"/api/submissions/{accepted.GetProperty("id").GetString()}", TestIndicator.Client);
        stored.GetProperty("traceId").GetString().Should().Be(traceId, "the submission keeps its trace id for ops");

        var call = await Eventually.Async(
            () => Task.FromResult(receiver.About(indicator.Code)),
            c => c.Count > 0,
            TimeSpan.FromSeconds(30),
            "the webhook call"
        );
        call[0].TraceParent.Should().Contain(traceId, "the webhook call continues the submission's trace");
        var spans = await SpansOfAsync(
            traceId,
            [
                ("gateway", "POST /api/submissions/{**rest}"),
                ("submissions", "POST /api/submissions/"),
                ("scoring", "scoring-submission-accepted process"),
                ("notifications", "notifications-indicator-status-changed process"),
                ("notifications", "deliver FellBehind"),
            ]
        );
        spans
            .Should()
            .Contain(
                s =>
                    s.Service == "submissions"
                    && s.Attributes.GetValueOrDefault("cnh.submission.id") == accepted.GetProperty("id").GetString(),
                "the trace can be found by the submission's id"
            );
        spans
            .Should()
            .Contain(
                s => s.Service == "notifications" && s.Name == "POST" && s.Attributes.GetValueOrDefault("url.full") == receiver.Url,
                "the webhook call itself is a span of the trace"
            );
    }

    [Fact]
    public async Task When_the_catalogue_changes_one_trace_spans_the_gateway_the_catalogue_and_both_replicas()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var response = await platform.SendAsync(
            HttpMethod.Put,
            $"/api/catalogue/indicators/{indicator.Code}",
            "admin",
            TestIndicator.Definition(indicator.Code, target2030: 120)
        );
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var traceId = response.Headers.GetValues("trace-id").Single();

        var spans = await SpansOfAsync(
            traceId,
            [
                ("gateway", "PUT /api/catalogue/{**rest}"),
                ("catalogue", "PUT /api/catalogue/indicators/{code}"),
                ("submissions", "submissions-indicator-defined process"),
                ("scoring", "scoring-indicator-defined process"),
            ]
        );
        spans.Select(s => s.Service).Distinct().Should().Contain(["gateway", "catalogue", "submissions", "scoring"]);
    }

    async Task<List<ReceivedSpan>> SpansOfAsync(string traceId, (string Service, string Span)[] hops) =>
        await Eventually.Async(
            () => Task.FromResult(platform.Otlp.Spans.Where(s => s.TraceId == traceId).ToList()),
            found => hops.All(hop => found.Any(s => s.Service == hop.Service && s.Name == hop.Span)),
            TimeSpan.FromSeconds(30),
            $"every hop in trace {traceId}: {string.Join(", ", hops.Select(h => $"{h.Service} {h.Span}"))}",
            found => string.Join("\n", found.Select(s => $"{s.Service} | {s.Name}")) + "\n--\n" + platform.DescribeSpans()
        );
}
