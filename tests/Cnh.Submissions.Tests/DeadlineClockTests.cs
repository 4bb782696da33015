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

    static List<string> PastDue(TimeProvider clock, int dueDays = 0) =>
        OverdueScanner.PastDue([Quarterly(dueDays)], 2026, clock.GetUtcNow()).Select(c => c.Period.Text).ToList();

    [Fact]
    public void When_the_clock_passes_the_end_of_the_due_date_the_period_becomes_overdue()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 31, 23, 59, 59, TimeSpan.Zero));
        PastDue(clock).Should().BeEmpty("31 March is Q1's due date itself");

        clock.Advance(TimeSpan.FromSeconds(1));
        PastDue(clock).Should().Equal("2026Q1");

        clock.Advance(TimeSpan.FromDays(92));
        PastDue(clock).Should().Equal("2026Q1", "2026Q2");
    }

    [Fact]
    public void When_a_year_turns_the_scan_covers_the_new_year_too()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.Zero));
        PastDue(clock).Should().Equal("2026Q1", "2026Q2", "2026Q3", "2026Q4", "2027Q1");
        PastDue(clock, dueDays: 45).Should().Equal("2026Q1", "2026Q2", "2026Q3", "2026Q4");
    }

    [Theory]
    [InlineData("2026-03-31T23:59:59Z", null, "notYetDue")]
    [InlineData("2026-04-01T00:00:00Z", null, "missing")]
    [InlineData("2026-08-15T00:00:00Z", "2026-03-31T23:59:59Z", "onTime")]
    [InlineData("2026-08-15T00:00:00Z", "2026-04-01T00:00:00Z", "late")]
    public void When_completeness_is_judged_a_value_counts_by_when_it_first_came(string now, string? firstReceived, string state)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse(now));
        var deadline = Cnh.Contracts.ReportingPeriod.Parse("2026Q1").DeadlineUtc(0);
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
