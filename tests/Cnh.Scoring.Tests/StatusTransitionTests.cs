using Cnh.Contracts;
using Cnh.Scoring.Method;

namespace Cnh.Scoring.Tests;

public class StatusTransitionTests
{
    [Theory]
    [InlineData(null, "LimitedProgress", "FellBehind")] // the first score is already behind
    [InlineData(null, "NeedsAcceleration", "FellBehind")]
    [InlineData("NotAvailable", "Deteriorating", "FellBehind")]
    [InlineData("OnTrack", "NeedsAcceleration", "FellBehind")]
    [InlineData("TargetAchieved", "Deteriorating", "FellBehind")]
    [InlineData("NeedsAcceleration", "LimitedProgress", "FellBehind")] // behind, and worse
    [InlineData("LimitedProgress", "Deteriorating", "FellBehind")]
    [InlineData("Deteriorating", "LimitedProgress", "Improved")] // still behind, but better: no new alert
    [InlineData("LimitedProgress", "OnTrack", "Recovered")]
    [InlineData("Deteriorating", "TargetAchieved", "Recovered")]
    [InlineData("OnTrack", "TargetAchieved", "Improved")]
    [InlineData("TargetAchieved", "OnTrack", "Other")] // worse, but not behind
    [InlineData(null, "OnTrack", "Other")]
    [InlineData("LimitedProgress", "NotAvailable", "Other")]
    public void When_the_status_moves_it_is_classified_for_alerting(string? previous, string next, string expected)
    {
        StatusTransition.Classify(previous, next).Should().Be(expected);
    }

    [Fact]
    public void When_a_status_is_needs_acceleration_or_worse_it_is_behind()
    {
        StatusTransition.IsBehind(IndicatorStatuses.NeedsAcceleration).Should().BeTrue();
        StatusTransition.IsBehind(IndicatorStatuses.Deteriorating).Should().BeTrue();
        StatusTransition.IsBehind(IndicatorStatuses.OnTrack).Should().BeFalse();
        StatusTransition.IsBehind(IndicatorStatuses.NotAvailable).Should().BeFalse();
    }
}
