using Cnh.Scoring.Data;
using Cnh.Scoring.Method;
using Cnh.Scoring.OpenData;

namespace Cnh.Scoring.Tests;

public class OpenDataRowsTests
{
    static readonly DefinitionReplica Indicator = new()
    {
        Code = "T1",
        Catalogue = "c",
        Group = "KT",
        NameEn = "Test",
        NameVi = "Thử",
        Unit = "%",
        Direction = "increase",
        ResponsibleDepartment = "STC",
        Targets = [new Target(2030, 100, null, ">=")],
    };

    static ObservationRow Value(string period, int revision, double value) =>
        new()
        {
            IndicatorCode = "T1",
            Period = period,
            Revision = revision,
            Value = value,
            SubmissionId = Guid.NewGuid(),
            Department = "STC",
            SubmittedAt = new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero).AddDays(revision),
        };

    [Fact]
    public void When_a_period_has_two_revisions_each_is_a_row_scored_with_its_own_value_and_the_latest_earlier_values()
    {
        var stored = new[] { Value("2025", 1, 40), Value("2024", 1, 25), Value("2024", 2, 30), Value("2025", 2, 45) };

        var rows = OpenDataRows.Score(Indicator, stored, ScoringThresholds.Default).ToList();

        rows.Select(r => (r.Period, r.Revision, r.LatestRevision))
            .Should()
            .Equal(("2024", 1, false), ("2024", 2, true), ("2025", 1, false), ("2025", 2, true));
        var standing = ProgressCalculator.Calculate(
            Indicator.ToMethod(),
            stored.Select(o => new Observation(Contracts.ReportingPeriod.Parse(o.Period), o.Value, o.Revision, o.SubmissionId))
        );
        rows[^1].Score.Should().Be(standing.Score, "the standing row carries the indicator's current score");
        var firstRevision2025 = ProgressCalculator.Calculate(
            Indicator.ToMethod(),
            [
                new Observation(Contracts.ReportingPeriod.Parse("2024"), 30, 2, Guid.Empty),
                new Observation(Contracts.ReportingPeriod.Parse("2025"), 40, 1, Guid.Empty),
            ]
        );
        rows[2]
            .ProgressValue.Should()
            .Be(firstRevision2025.ProgressValue, "a superseded value is scored against the standing earlier values");
        rows.Should().OnlyContain(r => r.TargetYear == 2030 && r.TargetValue == 100 && r.Unit == "%" && r.NameVi == "Thử");
    }

    [Fact]
    public void When_rows_are_compared_with_the_previous_release_new_periods_and_revisions_are_marked()
    {
        var rows = OpenDataRows
            .Score(Indicator, [Value("2024", 1, 25), Value("2024", 2, 30), Value("2025", 1, 40)], ScoringThresholds.Default)
            .ToList();
        var previous = rows.Take(1).ToList();

        OpenDataRows.MarkChanges(rows, previous).Select(r => r.Change).Should().Equal(null, "revised", "new");
        OpenDataRows.MarkChanges(rows, null).Should().OnlyContain(r => r.Change == "new");
    }

    [Theory]
    [InlineData("2026-12-02T16:44:00Z", false)] // 23:44 in Hanoi
    [InlineData("2026-12-02T16:45:00Z", true)] // 23:45
    [InlineData("2026-12-02T17:00:00Z", false)] // 00:00 the next day: that day's time has not come
    public void When_the_clock_reaches_the_publishing_time_in_Hanoi_the_release_is_due(string now, bool due)
    {
        OpenDataSchedule.Due(DateTimeOffset.Parse(now), new OpenDataOptions()).Should().Be(due);
    }

    [Theory]
    [InlineData("2024", "A", "2024")]
    [InlineData("2024Q3", "Q", "2024-Q3")]
    [InlineData("202407", "M", "2024-07")]
    public void When_a_period_goes_to_SDMX_it_takes_SDMX_frequency_and_time_period_codes(string period, string freq, string time)
    {
        OpenDataFiles.Frequency(Contracts.ReportingPeriod.Parse(period).Frequency).Should().Be(freq);
        OpenDataFiles.TimePeriod(period).Should().Be(time);
    }
}
