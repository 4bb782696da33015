using Cnh.Contracts;

namespace Cnh.Scoring.Tests;

public class ReportingPeriodTests
{
    [Theory]
    [InlineData("2025", "annual", 2025.0)]
    [InlineData("2025Q3", "quarterly", 2024.75)]
    [InlineData("2025Q4", "quarterly", 2025.0)]
    [InlineData("202507", "monthly", 2024.0 + 7.0 / 12)]
    [InlineData("202512", "monthly", 2025.0)]
    public void When_a_period_is_parsed_it_counts_at_its_end(string text, string frequency, double end)
    {
        ReportingPeriod.TryParse(text, out var period).Should().BeTrue();
        period.Frequency.Should().Be(frequency);
        period.EndInYears.Should().BeApproximately(end, 1e-12);
    }

    [Theory]
    [InlineData("")]
    [InlineData("25")]
    [InlineData("2025Q5")]
    [InlineData("2025Q0")]
    [InlineData("202513")]
    [InlineData("202500")]
    [InlineData("2025-07")]
    [InlineData("2025 ")]
    [InlineData("２０２５")]
    [InlineData("0999")]
    [InlineData(null)]
    public void When_a_period_is_not_a_dhis2_form_it_is_rejected(string? text)
    {
        ReportingPeriod.TryParse(text, out _).Should().BeFalse();
    }
}
