using Cnh.Contracts;

namespace Cnh.Submissions.Tests;

public class DeadlineCalendarTests
{
    [Theory]
    [InlineData("2025", "2025-12-31")]
    [InlineData("2024Q1", "2024-03-31")]
    [InlineData("2024Q4", "2024-12-31")]
    [InlineData("202402", "2024-02-29")]
    [InlineData("202311", "2023-11-30")]
    public void When_a_period_ends_its_last_day_is_the_calendar_one(string period, string end) =>
        ReportingPeriod.Parse(period).EndDate.Should().Be(DateOnly.Parse(end));

    [Fact]
    public void When_a_value_is_due_days_after_the_period_the_due_date_counts_from_the_last_day() =>
        ReportingPeriod.Parse("2025Q2").DueDate(45).Should().Be(new DateOnly(2025, 8, 14));

    [Fact]
    public void When_the_due_date_has_ended_in_the_citys_time_zone_the_value_is_late() =>
        ReportingPeriod
            .Parse("2025Q2")
            .Deadline(45, TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh"))
            .Should()
            .Be(new DateTimeOffset(2025, 8, 15, 0, 0, 0, TimeSpan.FromHours(7)));

    [Fact]
    public void When_every_period_of_a_span_is_listed_each_equals_its_parsed_form() =>
        ReportingPeriod
            .Of(ReportingPeriod.Monthly, 2024, 2025)
            .Concat(ReportingPeriod.Of(ReportingPeriod.Quarterly, 2024, 2025))
            .Concat(ReportingPeriod.Of(ReportingPeriod.Annual, 2024, 2025))
            .Should()
            .HaveCount(24 + 8 + 2)
            .And.OnlyContain(p => p == ReportingPeriod.Parse(p.Text));

    [Fact]
    public void When_a_year_is_asked_for_it_contains_its_quarters_and_months_and_itself()
    {
        var year = ReportingPeriod.Parse("2026");
        year.Contained(ReportingPeriod.Quarterly).Select(p => p.Text).Should().Equal("2026Q1", "2026Q2", "2026Q3", "2026Q4");
        year.Contained(ReportingPeriod.Monthly).Should().HaveCount(12);
        year.Contained(ReportingPeriod.Annual).Select(p => p.Text).Should().Equal("2026");
        ReportingPeriod.Parse("2026Q3").Contained(ReportingPeriod.Monthly).Select(p => p.Text).Should().Equal("202607", "202608", "202609");
        ReportingPeriod.Parse("2026Q3").Contained(ReportingPeriod.Annual).Should().BeEmpty();
    }
}
