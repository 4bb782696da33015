using Cnh.Scoring.Method;

namespace Cnh.Scoring.Tests;

public class AggregatesTests
{
    [Fact]
    public void When_groups_are_partly_scored_group_scores_coverage_and_composite_follow_by_hand()
    {
        IndicatorScore[] scores =
        [
            new("KT01", "KT", "TargetAchieved", 5),
            new("KT02", "KT", "LimitedProgress", -2),
            new("KT03", "KT", "NotAvailable", null),
            new("KT04", "KT", "NotAvailable", null),
            new("DT01", "DT", "OnTrack", 3),
            new("MT01", "MT", "NotAvailable", null),
        ];

        var summary = Aggregates.Summarize(scores, ["KT", "VHXH", "DT", "MT"]);

        // KT: (5 + −2) / 2 = 1.5, coverage 2/4 = 0.5; DT: 3, coverage 1/1; MT and VHXH: no score.
        summary.Groups.Select(g => g.Group).Should().Equal("KT", "VHXH", "DT", "MT");
        summary.Groups[0].Should().Be(new GroupScore("KT", 1.5, 0.5, 2, 4));
        summary.Groups[1].Should().Be(new GroupScore("VHXH", null, 0, 0, 0));
        summary.Groups[2].Should().Be(new GroupScore("DT", 3, 1, 1, 1));
        summary.Groups[3].Should().Be(new GroupScore("MT", null, 0, 0, 1));
        // composite: mean of the group scores that exist = (1.5 + 3) / 2 = 2.25
        summary.CompositeIndex.Should().Be(2.25);
        summary
            .CountsByStatus.Should()
            .BeEquivalentTo(
                new Dictionary<string, int>
                {
                    ["TargetAchieved"] = 1,
                    ["LimitedProgress"] = 1,
                    ["OnTrack"] = 1,
                    ["NotAvailable"] = 3,
                }
            );
        summary.Total.Should().Be(6);
    }

    [Fact]
    public void When_nothing_is_scored_the_composite_is_absent()
    {
        var summary = Aggregates.Summarize([new IndicatorScore("KT01", "KT", "NotAvailable", null)], ["KT"]);

        summary.CompositeIndex.Should().BeNull();
        summary.Groups.Single().Coverage.Should().Be(0);
    }
}
