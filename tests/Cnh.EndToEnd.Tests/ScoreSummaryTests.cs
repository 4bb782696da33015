using System.Net;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;

namespace Cnh.EndToEnd.Tests;

/// <summary>The composite index's change since the previous period, as the overview shows it, redone from the public API.</summary>
[Collection(PlatformCollection.Name)]
public class ScoreSummaryTests(Platform platform)
{
    [Fact]
    public async Task When_values_of_two_years_are_scored_the_summary_gives_the_index_as_it_stood_on_the_earlier_year()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        // Three years: a score needs a year between its base (the first value) and the value scored.
        foreach (var (period, value) in new[] { ("2024", 30.0), ("2025", 40.0), ("2026", 60.0) })
        {
            var response = await platform.SubmitAsync(TestIndicator.Client, indicator.Code, period, value);
            response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
            await Eventually.Async(
                () => platform.GetJsonAsync($"/api/scores/indicators/{indicator.Code}", "viewer"),
                s =>
                    s.GetProperty("result").ValueKind == JsonValueKind.Object
                    && s.GetProperty("result").GetProperty("currentPeriod").GetString() == period,
                TimeSpan.FromSeconds(15),
                $"{indicator.Code} scored on {period}"
            );
        }

        var summary = await platform.GetJsonAsync("/api/scores", "viewer");
        var indicators = (await platform.GetJsonAsync("/api/scores/indicators", "viewer")).EnumerateArray().ToList();
        var latestYear = indicators
            .Where(i => i.GetProperty("result").ValueKind == JsonValueKind.Object)
            .Select(i => int.Parse(i.GetProperty("result").GetProperty("currentPeriod").GetString()![..4]))
            .Max();
        summary.GetProperty("previousYear").GetInt32().Should().Be(latestYear - 1);

        // Each indicator's latest result computed on values of an earlier year; groups are means, the index their mean.
        var earlier = new List<(string Group, double Score)>();
        foreach (var i in indicators)
        {
            var history = await platform.GetJsonAsync(
                $"/api/scores/indicators/{i.GetProperty("code").GetString()}/history?limit=1000",
                "viewer"
            );
            var before = history
                .EnumerateArray()
                .OrderByDescending(h => h.GetProperty("calculatedAt").GetDateTimeOffset())
                .FirstOrDefault(h =>
                    h.GetProperty("result").GetProperty("currentPeriod").GetString() is { } p && int.Parse(p[..4]) < latestYear
                );
            if (before.ValueKind == JsonValueKind.Object && before.GetProperty("score").ValueKind == JsonValueKind.Number)
                earlier.Add((i.GetProperty("group").GetString()!, before.GetProperty("score").GetDouble()));
        }
        earlier.Should().Contain(e => e.Group == "KT", "the test indicator's 2025 result is an earlier year's");
        var expected = earlier.GroupBy(e => e.Group).Select(g => g.Average(e => e.Score)).Average();
        summary.GetProperty("previousCompositeIndex").GetDouble().Should().BeApproximately(expected, 1e-9);
    }
}
