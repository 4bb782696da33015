using System.Security.Claims;
using Cnh.Contracts;
using Cnh.Submissions.Data;
using Cnh.Submissions.Submit;

namespace Cnh.Submissions.Tests;

public class SubmissionRulesTests
{
    static readonly ClaimsPrincipal Nv = new(
        new ClaimsIdentity(
            [new Claim(CnhClaims.Role, Roles.Department), new Claim(CnhClaims.Department, "NV")],
            "test",
            "sub",
            CnhClaims.Role
        )
    );
    static readonly OutlierOptions ZScore = new();

    static IndicatorReplica Indicator(string unit = "%", double? min = null, double? max = null) =>
        new()
        {
            Code = "XH01",
            Group = "VHXH",
            Unit = unit,
            ResponsibleDepartment = "NV",
            ReportingFrequency = "annual",
            PlausibleMin = min,
            PlausibleMax = max,
        };

    static SubmissionRules.Verdict Check(
        double value,
        IndicatorReplica? indicator = null,
        string? note = null,
        IReadOnlyList<double>? history = null,
        ClaimsPrincipal? user = null
    ) =>
        SubmissionRules.Check(
            new SubmissionRequest("XH01", "2024", value, note, null),
            indicator ?? Indicator(),
            user ?? Nv,
            HistoryStats.Of(history ?? []),
            ZScore
        );

    [Theory]
    [InlineData("%", 100.01, false)]
    [InlineData("% hộ", -0.5, false)]
    [InlineData("%", 0, true)]
    [InlineData("%/năm", -3.2, true)]
    [InlineData("USD/người/năm", 1e6, true)]
    public void When_no_bounds_are_configured_a_share_in_percent_must_lie_in_0_to_100(string unit, double value, bool valid) =>
        Check(value, Indicator(unit)).Valid.Should().Be(valid);

    [Fact]
    public void When_the_catalogue_sets_bounds_they_replace_the_percentage_rule()
    {
        Check(140, Indicator("%", max: 150)).Valid.Should().BeTrue();
        Check(-1, Indicator("%", min: 0, max: 150)).Errors.Should().ContainKey("value");
    }

    [Fact]
    public void When_a_value_is_far_from_history_it_needs_a_note_and_with_one_is_flagged()
    {
        double[] history = [50, 51, 52, 50.5];

        Check(51.5, history: history).FlagReason.Should().BeNull();
        Check(90, history: history).Errors.Should().ContainKey("note");
        var explained = Check(90, history: history, note: "new method");
        explained.Valid.Should().BeTrue();
        explained.FlagReason.Should().Contain("z =");
    }

    [Fact]
    public void When_history_is_too_short_nothing_is_flagged() => Check(1_000, history: [50, 51]).FlagReason.Should().BeNull();

    [Fact]
    public void When_the_minmax_method_is_chosen_values_beyond_the_range_and_its_tolerance_are_flagged()
    {
        var options = new OutlierOptions { Method = "minmax", RangeTolerance = 0.5 };
        SubmissionRules
            .OutlierReason(64, HistoryStats.Of([50, 60, 55]), options)
            .Should()
            .BeNull("within half the range beyond the maximum");
        SubmissionRules.OutlierReason(66, HistoryStats.Of([50, 60, 55]), options).Should().Contain("range");
        SubmissionRules.OutlierReason(66, HistoryStats.Of([50, 60, 55]), new OutlierOptions { Method = "none" }).Should().BeNull();
    }

    [Fact]
    public void When_another_department_submits_it_is_forbidden_not_invalid()
    {
        var other = new ClaimsPrincipal(
            new ClaimsIdentity(
                [new Claim(CnhClaims.Role, Roles.Department), new Claim(CnhClaims.Department, "TC")],
                "test",
                "sub",
                CnhClaims.Role
            )
        );
        Check(50, user: other).Forbidden.Should().BeTrue();
    }

    [Fact]
    public void When_the_period_does_not_fit_the_frequency_the_period_is_named() =>
        SubmissionRules
            .Check(new SubmissionRequest("XH01", "2024Q1", 5, null, null), Indicator(), Nv, HistoryStats.None, ZScore)
            .Errors.Should()
            .ContainKey("period");
}
