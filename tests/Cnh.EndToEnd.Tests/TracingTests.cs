using System.Diagnostics;
using System.Net;
using Cnh.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Cnh.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public class TracingTests(Platform platform, ITestOutputHelper output)
{
    [Fact]
    public async Task When_a_submission_flows_one_trace_spans_gateway_submissions_scoring_and_notifications()
    {
        // DT01: base 53.9 (2022), 55 in 2024 → p ≈ 0.28, LimitedProgress: a status change, so notifications consumes too.
        var traceId = ActivityTraceId.CreateRandom();
        var response = await platform.SendAsync(HttpMethod.Post, "/api/submissions", "dept-xd",
            new { indicatorCode = "DT01", period = "2024", value = 55 },
            request => request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01"));
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
        var spans = await Platform.EventuallyAsync(
            () => Task.FromResult(platform.Otlp.Spans.Where(s => s.TraceId == traceId.ToString()).ToList()),
            found => hops.All(hop => found.Any(s => s.Service == hop.Service && s.Name == hop.Span)),
            TimeSpan.FromSeconds(30), $"every hop in trace {traceId}", _ => platform.DescribeSpans());

        foreach (var span in spans) output.WriteLine($"{span.Service,-14} {span.Name}");
        spans.Select(s => s.Service).Distinct().Should().Contain(["gateway", "submissions", "scoring", "notifications"]);
    }
}
