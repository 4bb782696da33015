using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;
using Cnh.Submissions.Deadlines;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Cnh.Submissions.Tests;

/// <summary>Deadlines against a fake clock: the same answers on whatever day the tests run.</summary>
public class DeadlineClockTests
{
    static IndicatorReplica Quarterly(int dueDays) =>
        new()
        {
            Code = "T01",
            Group = "economic",
            Unit = "%",
            ResponsibleDepartment = "TC",
            ReportingFrequency = "quarterly",
            DueDays = dueDays,
        };

    static readonly TimeZoneInfo Hanoi = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    static List<string> Due(TimeProvider clock, int dueDays = 0, string notice = DeadlineNotices.Overdue) =>
        DeadlineScanner
            .Due([Quarterly(dueDays)], new DeadlineOptions { TrackFromYear = 2026 }, Hanoi, clock.GetUtcNow())
            .Where(c => c.Notice == notice)
            .Select(c => c.Period.Text)
            .ToList();

    [Fact]
    public void When_the_due_date_ends_in_Hanoi_the_period_becomes_overdue_though_the_day_goes_on_in_UTC()
    {
        // 31 March, Q1's due date, ends at midnight in Hanoi (UTC+7): 17:00 UTC.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 31, 16, 59, 59, TimeSpan.Zero));
        Due(clock).Should().BeEmpty("it is 23:59:59 on the due date in Hanoi");

        clock.Advance(TimeSpan.FromSeconds(1));
        Due(clock).Should().Equal("2026Q1");

        clock.Advance(TimeSpan.FromDays(92));
        Due(clock).Should().Equal("2026Q1", "2026Q2");
    }

    [Fact]
    public void When_a_year_turns_the_scan_covers_the_new_year_too()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.Zero));
        Due(clock).Should().Equal("2026Q1", "2026Q2", "2026Q3", "2026Q4", "2027Q1");
        Due(clock, dueDays: 45).Should().Equal("2026Q1", "2026Q2", "2026Q3", "2026Q4");
    }

    [Theory]
    [InlineData("2026-03-15T16:59:59Z", null)]
    [InlineData("2026-03-15T17:00:00Z", "reminder-15")] // 16 March in Hanoi: 15 days before the due date
    [InlineData("2026-03-27T16:59:59Z", "reminder-15")]
    [InlineData("2026-03-27T17:00:00Z", "reminder-3")] // the nearest reminder only, not both
    [InlineData("2026-03-31T17:00:00Z", "overdue")]
    [InlineData("2026-04-07T16:59:59Z", "overdue")]
    [InlineData("2026-04-07T17:00:00Z", "overdue,escalation")]
    public void When_the_clock_moves_towards_and_past_the_due_date_the_notices_due_follow(string now, string? notices)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse(now));
        DeadlineScanner
            .Due([Quarterly(0)], new DeadlineOptions { TrackFromYear = 2026 }, Hanoi, clock.GetUtcNow())
            .Where(c => c.Period.Text == "2026Q1")
            .Select(c => c.Notice)
            .Should()
            .Equal(notices?.Split(',') ?? []);
    }

    [Theory]
    [InlineData("2026-03-31T16:59:59Z", null, "notYetDue")]
    [InlineData("2026-03-31T17:00:00Z", null, "missing")]
    [InlineData("2026-08-15T00:00:00Z", "2026-03-31T16:59:59Z", "onTime")]
    [InlineData("2026-08-15T00:00:00Z", "2026-03-31T17:00:00Z", "late")]
    public void When_completeness_is_judged_a_value_counts_by_when_it_first_came(string now, string? firstReceived, string state)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse(now));
        var deadline = Cnh.Contracts.ReportingPeriod.Parse("2026Q1").Deadline(0, Hanoi);
        Completeness
            .StateOf(firstReceived is null ? null : DateTimeOffset.Parse(firstReceived), deadline, clock.GetUtcNow())
            .Should()
            .Be(state);
    }

    [Fact]
    public void When_the_clock_is_started_on_a_given_day_it_reads_that_day_and_runs_on_at_the_real_pace()
    {
        var wall = new FakeTimeProvider(new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var start = new DateTimeOffset(2026, 8, 15, 0, 0, 0, TimeSpan.Zero);
        var clock = new ShiftedTimeProvider(start, wall);
        clock.GetUtcNow().Should().Be(start);

        wall.Advance(TimeSpan.FromMinutes(5));
        clock.GetUtcNow().Should().Be(start.AddMinutes(5));
        clock.GetTimestamp().Should().Be(wall.GetTimestamp());
    }

    [Fact]
    public void When_no_start_is_configured_the_clock_is_the_systems()
    {
        Clock.FromConfiguration(new ConfigurationBuilder().Build()).Should().BeSameAs(TimeProvider.System);
        var configured = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Clock:Now"] = "2026-08-15T00:00:00Z" })
            .Build();
        Clock
            .FromConfiguration(configured)
            .GetUtcNow()
            .Should()
            .BeCloseTo(new DateTimeOffset(2026, 8, 15, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(1));
    }
}
