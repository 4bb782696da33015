using System.Diagnostics;
using System.Net;
using Cnh.EndToEnd.Tests.Infrastructure;

namespace Cnh.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public class TracingTests(Platform platform)
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

        string[] services = ["gateway", "submissions", "scoring", "notifications"];
        var spans = await Platform.EventuallyAsync(
            () => Task.FromResult(platform.Otlp.Spans.Where(s => s.TraceId == traceId.ToString()).ToList()),
            found => services.All(service => found.Any(s => s.Service == service)),
            TimeSpan.FromSeconds(30), $"spans of trace {traceId} from {string.Join(", ", services)}", _ => platform.DescribeSpans());

        spans.Should().Contain(s => s.Service == "gateway" && s.Name.StartsWith("POST"));
        spans.Should().Contain(s => s.Service == "submissions" && s.Name == "POST /api/submissions/");
        spans.Should().Contain(s => s.Service == "scoring" && s.Name.Contains("consume", StringComparison.OrdinalIgnoreCase) || s.Service == "scoring" && s.Name.Contains("process"));
        spans.Should().Contain(s => s.Service == "notifications");
    }
}
