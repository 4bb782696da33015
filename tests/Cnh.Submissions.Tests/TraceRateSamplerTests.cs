using System.Diagnostics;
using Cnh.ServiceDefaults;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Trace;

namespace Cnh.Submissions.Tests;

public class TraceRateSamplerTests
{
    readonly FakeTimeProvider _clock = new();

    int SampledOf(TraceRateSampler sampler, int requests) =>
        Enumerable
            .Range(0, requests)
            .Count(_ =>
                sampler
                    .ShouldSample(
                        new SamplingParameters(default, ActivityTraceId.CreateRandom(), "POST /api/submissions", ActivityKind.Server)
                    )
                    .Decision == SamplingDecision.RecordAndSample
            );

    [Fact]
    public void When_traffic_is_light_it_samples_every_trace()
    {
        var sampler = new TraceRateSampler(10, _clock);
        for (var second = 0; second < 5; second++)
        {
            SampledOf(sampler, 3).Should().Be(3);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public void When_a_burst_exceeds_the_rate_it_samples_only_the_rate()
    {
        var sampler = new TraceRateSampler(10, _clock);
        SampledOf(sampler, 1000).Should().Be(10);
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        SampledOf(sampler, 1000).Should().Be(5);
        // Idle time does not save up more than a second's worth.
        _clock.Advance(TimeSpan.FromMinutes(5));
        SampledOf(sampler, 1000).Should().Be(10);
    }

    [Fact]
    public void When_the_rate_is_zero_it_samples_nothing() => SampledOf(new TraceRateSampler(0, _clock), 100).Should().Be(0);
}
