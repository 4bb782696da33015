using Cnh.Notifications.Briefings;

namespace Cnh.Notifications.Tests;

public class BriefingScheduleTests
{
    static readonly BriefingOptions Defaults = new();

    [Theory]
    [InlineData("2026-09-05T00:59:59Z", "2026-08", "2026-08-05T01:00:00Z")] // 07:59:59 in Hanoi on the 5th: August's is the latest
    [InlineData("2026-09-05T01:00:00Z", "2026-09", "2026-09-05T01:00:00Z")] // 08:00 on the 5th
    [InlineData("2027-01-02T00:00:00Z", "2026-12", "2026-12-05T01:00:00Z")] // across the year
    public void When_the_clock_passes_the_5th_at_8_in_Hanoi_that_months_briefing_is_the_latest_due(string now, string period, string dueAt)
    {
        BriefingSchedule.LatestDue(DateTimeOffset.Parse(now), Defaults).Should().Be((period, DateTimeOffset.Parse(dueAt)));
    }

    [Theory]
    [InlineData("2026-09-05T01:00:00Z", "2026-09")]
    [InlineData("2026-09-08T00:59:59Z", "2026-09")] // 72 hours later: still caught up after a long outage
    [InlineData("2026-09-08T01:00:01Z", null)] // later: it waits for October's rather than arrive weeks late
    public void When_the_service_comes_back_after_the_due_time_it_sends_only_within_the_catch_up_time(string now, string? period)
    {
        BriefingSchedule.PeriodToSend(DateTimeOffset.Parse(now), Defaults).Should().Be(period);
    }

    [Fact]
    public void When_the_day_is_past_the_end_of_a_month_that_month_sends_on_its_last_day()
    {
        var options = new BriefingOptions { DayOfMonth = 31, At = new TimeOnly(17, 30) };
        BriefingSchedule
            .NextDue(DateTimeOffset.Parse("2026-09-01T00:00:00Z"), options)
            .Should()
            .Be(("2026-09", DateTimeOffset.Parse("2026-09-30T10:30:00Z")));
    }

    [Fact]
    public void When_a_period_is_named_in_the_mail_it_reads_as_each_language_writes_a_month()
    {
        BriefingSchedule.MonthVi("2026-09").Should().Be("09/2026");
        BriefingSchedule.MonthEn("2026-09").Should().Be("September 2026");
    }
}
