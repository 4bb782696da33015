using Cnh.Contracts;
using Cnh.Scoring.Method;
using static Cnh.Scoring.Tests.Indicators;

namespace Cnh.Scoring.Tests;

/// <summary>
/// Every expected number is worked out by hand in the comment above it, from docs/scoring.md's formulas:
/// g_o = (x/x0)^(1/(t−t0)) − 1, g_r = (x*/x0)^(1/(T−t0)) − 1, p = s·d·g_o/|g_r|,
/// score = min(7.1429p − 4.2857, 5) for p ≥ 0.6, else max(4.1667p − 2.5, −5).
/// </summary>
public class ProgressCalculatorTests
{
    const double Precision = 1e-6;

    [Fact]
    public void When_growth_outpaces_the_required_rate_it_is_on_track()
    {
        // x0 = 5420 (2020), x = 7200 (2023), active target 2025 → x* = 8300 (range: min).
        // g_o = (7200/5420)^(1/3) − 1 = 1.328413^(0.3333) − 1 = 0.0992869
        // g_r = (8300/5420)^(1/5) − 1 = 1.531365^(0.2) − 1 = 0.0889696
        // p = 0.0992869 / 0.0889696 = 1.1159647; score = 7.1429 × 1.1159647 − 4.2857 = 3.6855240
        var r = ProgressCalculator.Calculate(Income, [Obs("2023", 7200)]);

        r.Status.Should().Be(IndicatorStatuses.OnTrack);
        r.ObservedGrowth.Should().BeApproximately(0.0992869, Precision);
        r.RequiredGrowth.Should().BeApproximately(0.0889696, Precision);
        r.ProgressValue.Should().BeApproximately(1.1159647, Precision);
        r.Score.Should().BeApproximately(3.6855240, Precision);
        r.TargetYear.Should().Be(2025);
        r.TargetValue.Should().Be(8300);
        r.BaseYear.Should().Be(2020);
        r.BaseValue.Should().Be(5420);
        // attainment = 7200 / 8300 = 86.7470%
        r.AttainmentPercent.Should().BeApproximately(86.746988, 1e-5);
    }

    [Fact]
    public void When_progress_is_between_the_thresholds_it_needs_acceleration()
    {
        // x = 6500 (2023): g_o = (6500/5420)^(1/3) − 1 = 0.0624407; p = 0.0624407 / 0.0889696 = 0.7018203
        // 0.6 ≤ p < 0.95; score = 7.1429 × 0.7018203 − 4.2857 = 0.7273320
        var r = ProgressCalculator.Calculate(Income, [Obs("2023", 6500)]);

        r.Status.Should().Be(IndicatorStatuses.NeedsAcceleration);
        r.ProgressValue.Should().BeApproximately(0.7018203, Precision);
        r.Score.Should().BeApproximately(0.7273320, Precision);
    }

    [Fact]
    public void When_growth_is_small_but_positive_it_is_limited_progress()
    {
        // x = 5500 (2024): g_o = (5500/5420)^(1/4) − 1 = 0.0036698; p = 0.0036698 / 0.0889696 = 0.0412476
        // 0 ≤ p < 0.6; score = 4.1667 × 0.0412476 − 2.5 = −2.3281335
        var r = ProgressCalculator.Calculate(Income, [Obs("2024", 5500)]);

        r.Status.Should().Be(IndicatorStatuses.LimitedProgress);
        r.ProgressValue.Should().BeApproximately(0.0412476, Precision);
        r.Score.Should().BeApproximately(-2.3281335, Precision);
    }

    [Fact]
    public void When_the_value_moves_away_from_the_target_it_is_deteriorating()
    {
        // x = 5000 (2023): g_o = (5000/5420)^(1/3) − 1 = −0.0265278; p = −0.0265278 / 0.0889696 = −0.2981665
        // p < 0; score = 4.1667 × −0.2981665 − 2.5 = −3.7423703
        var r = ProgressCalculator.Calculate(Income, [Obs("2023", 5000)]);

        r.Status.Should().Be(IndicatorStatuses.Deteriorating);
        r.ProgressValue.Should().BeApproximately(-0.2981665, Precision);
        r.Score.Should().BeApproximately(-3.7423703, Precision);
    }

    [Fact]
    public void When_the_score_formula_would_pass_minus_five_it_is_capped()
    {
        // x = 3000 (2021): g_o = 3000/5420 − 1 = −0.4464945; p = −0.4464945 / 0.0889696 = −5.0185…
        // 4.1667 × −5.0185 − 2.5 = −23.4 → capped at −5
        var r = ProgressCalculator.Calculate(Income, [Obs("2021", 3000)]);

        r.Status.Should().Be(IndicatorStatuses.Deteriorating);
        r.Score.Should().Be(-5);
    }

    [Fact]
    public void When_the_value_reaches_the_near_bound_of_a_range_the_target_is_achieved()
    {
        // t = 2024, active target 2025: range 8300–8500, near bound for an increase is 8300; 8400 ≥ 8300.
        var r = ProgressCalculator.Calculate(Income, [Obs("2024", 8400)]);

        r.Status.Should().Be(IndicatorStatuses.TargetAchieved);
        r.Score.Should().Be(5);
        // attainment = 8400 / 8300 = 101.2048%
        r.AttainmentPercent.Should().BeApproximately(101.204819, 1e-5);
    }

    [Fact]
    public void When_a_milestone_year_is_missed_progress_is_measured_toward_the_next_target()
    {
        // KT01 at 7,200 in 2025: the 2025 milestone (8,300) is missed; the active target is 12,500 in 2030.
        // g_o = (7200/5420)^(1/5) − 1 = 0.0584410; g_r = (12500/5420)^(1/10) − 1 = 2.306273^(0.1) − 1 = 0.0871540
        // p = 0.0584410 / 0.0871540 = 0.6705482; score = 7.1429 × 0.6705482 − 4.2857 = 0.5039591
        var r = ProgressCalculator.Calculate(Income, [Obs("2025", 7200)]);

        r.Milestones.Should().ContainSingle().Which.Should().Be(new Milestone(2025, "range", 8300, 7200, false));
        r.TargetYear.Should().Be(2030);
        r.TargetValue.Should().Be(12500);
        r.ProgressValue.Should().BeApproximately(0.6705482, Precision);
        r.Score.Should().BeApproximately(0.5039591, Precision);
        r.Status.Should().Be(IndicatorStatuses.NeedsAcceleration);
    }

    [Fact]
    public void When_a_milestone_year_is_met_it_is_recorded_as_met()
    {
        // 8,350 in 2025 ≥ 8,300: met. Toward 12,500 in 2030: g_o = (8350/5420)^(1/5) − 1 = 0.0902785,
        // p = 0.0902785 / 0.0871540 = 1.0358499 → OnTrack; score = 7.1429 × 1.0358499 − 4.2857 = 3.1132723
        var r = ProgressCalculator.Calculate(Income, [Obs("2025", 8350)]);

        r.Milestones.Should().ContainSingle().Which.Met.Should().BeTrue();
        r.Status.Should().Be(IndicatorStatuses.OnTrack);
        r.Score.Should().BeApproximately(3.1132723, Precision);
    }

    [Fact]
    public void When_a_milestone_year_has_no_value_it_is_not_evaluated()
    {
        // t = 2026 is past 2025, but no value for 2025 exists.
        var r = ProgressCalculator.Calculate(Income, [Obs("2026", 9000)]);

        r.Milestones.Should().ContainSingle().Which.Should().Be(new Milestone(2025, "range", 8300, null, null));
    }

    [Fact]
    public void When_the_base_is_zero_it_uses_one_thousandth()
    {
        // x0 = 0 → 0.001 (2020), x = 5 (2025), x* = 10 (2030).
        // g_o = (5/0.001)^(1/5) − 1 = 5000^0.2 − 1 = 4.4928027; g_r = (10/0.001)^(1/10) − 1 = 10000^0.1 − 1 = 1.5118864
        // p = 4.4928027 / 1.5118864 = 2.9716536 → OnTrack; 7.1429 × 2.97 − 4.2857 = 16.94 → capped at 5
        var indicator = new IndicatorDefinition("Z", Direction.Increase, new Baseline(2020, 0), [new Target(2030, 10, null, ">=")]);
        var r = ProgressCalculator.Calculate(indicator, [Obs("2025", 5)]);

        r.ProgressValue.Should().BeApproximately(2.9716536, Precision);
        r.Status.Should().Be(IndicatorStatuses.OnTrack);
        r.Score.Should().Be(5);
    }

    [Fact]
    public void When_the_target_is_zero_it_uses_one_thousandth_and_a_decrease_counts_as_progress()
    {
        // Decrease toward 0 (XH08-like): x0 = 2 (2020), x = 1 (2023), x* = 0 → 0.001 (2025); d = −1.
        // g_o = (1/2)^(1/3) − 1 = −0.2062995; g_r = (0.001/2)^(1/5) − 1 = 0.0005^0.2 − 1 = −0.7813276
        // p = 1 × (−1) × (−0.2062995) / 0.7813276 = 0.2640371 → LimitedProgress; score = 4.1667 × 0.2640371 − 2.5 = −1.3998366
        var indicator = new IndicatorDefinition("XH08", Direction.Decrease, new Baseline(2020, 2), [new Target(2025, null, 0, "<=")]);
        var r = ProgressCalculator.Calculate(indicator, [Obs("2023", 1)]);

        r.ProgressValue.Should().BeApproximately(0.2640371, Precision);
        r.Status.Should().Be(IndicatorStatuses.LimitedProgress);
        r.Score.Should().BeApproximately(-1.3998366, Precision);
        // attainment for a decrease = x*/x = 0/1
        r.AttainmentPercent.Should().Be(0);
    }

    [Fact]
    public void When_a_decreasing_indicator_falls_toward_its_target_it_scores_positive_progress()
    {
        // No baseline: base = earliest value, 15 in 2021; x = 13.5 (2023); active target 2025: max 12 (op "<").
        // g_o = (13.5/15)^(1/2) − 1 = −0.0513167; g_r = (12/15)^(1/4) − 1 = −0.0542584
        // p = (−1) × (−0.0513167) / 0.0542584 = 0.9457837 → just under 0.95: NeedsAcceleration
        // score = 7.1429 × 0.9457837 − 4.2857 = 2.4699384; attainment = 12 / 13.5 = 88.8889%
        var r = ProgressCalculator.Calculate(Falling, [Obs("2021", 15), Obs("2023", 13.5)]);

        r.ProgressValue.Should().BeApproximately(0.9457837, Precision);
        r.Status.Should().Be(IndicatorStatuses.NeedsAcceleration);
        r.Score.Should().BeApproximately(2.4699384, Precision);
        r.AttainmentPercent.Should().BeApproximately(88.888889, 1e-5);
        r.BaseYear.Should().Be(2021);
    }

    [Fact]
    public void When_a_decreasing_indicator_is_at_or_below_its_target_it_is_achieved()
    {
        var r = ProgressCalculator.Calculate(Falling, [Obs("2021", 15), Obs("2023", 11.5)]);

        r.Status.Should().Be(IndicatorStatuses.TargetAchieved);
        r.Score.Should().Be(5);
    }

    [Fact]
    public void When_base_and_current_have_different_signs_there_is_no_progress_value()
    {
        var indicator = new IndicatorDefinition("S", Direction.Increase, new Baseline(2020, -5), [new Target(2025, 10, null, ">=")]);
        var r = ProgressCalculator.Calculate(indicator, [Obs("2023", 3)]);

        r.ProgressValue.Should().BeNull();
        r.Score.Should().BeNull();
        r.Status.Should().Be(IndicatorStatuses.NotAvailable);
        r.Note.Should().Contain("different signs");
        r.CurrentValue.Should().Be(3);
    }

    [Fact]
    public void When_the_base_is_negative_the_sign_factor_keeps_improvement_positive()
    {
        // x0 = −10 (2020), x = −8 (2023), x* = −5 (2025), s = −1.
        // g_o = (−8/−10)^(1/3) − 1 = −0.0716822; g_r = (−5/−10)^(1/5) − 1 = −0.1294494
        // p = (−1) × 1 × (−0.0716822) / 0.1294494 = 0.5537470 → LimitedProgress; score = 4.1667 × 0.5537470 − 2.5 = −0.1927025
        var indicator = new IndicatorDefinition("N", Direction.Increase, new Baseline(2020, -10), [new Target(2025, -5, null, ">=")]);
        var r = ProgressCalculator.Calculate(indicator, [Obs("2023", -8)]);

        r.ProgressValue.Should().BeApproximately(0.5537470, Precision);
        r.Status.Should().Be(IndicatorStatuses.LimitedProgress);
        r.Score.Should().BeApproximately(-0.1927025, Precision);
    }

    [Fact]
    public void When_there_is_a_single_data_point_and_no_baseline_there_is_no_progress_value()
    {
        // base = current = the only value: t − t0 = 0 < 1.
        var r = ProgressCalculator.Calculate(Falling, [Obs("2023", 13)]);

        r.ProgressValue.Should().BeNull();
        r.Status.Should().Be(IndicatorStatuses.NotAvailable);
        r.Note.Should().Contain("Less than a year");
    }

    [Fact]
    public void When_a_single_data_point_already_meets_the_target_it_is_achieved()
    {
        var r = ProgressCalculator.Calculate(Falling, [Obs("2023", 9)]);

        r.Status.Should().Be(IndicatorStatuses.TargetAchieved);
        r.Score.Should().Be(5);
    }

    [Fact]
    public void When_there_is_no_value_it_is_not_available()
    {
        var r = ProgressCalculator.Calculate(Income, []);

        r.Status.Should().Be(IndicatorStatuses.NotAvailable);
        r.Score.Should().BeNull();
        r.Milestones.Should().BeEmpty();
    }

    [Theory]
    [InlineData(16.3, true)] // |16.3 − 17| = 0.70 ≤ 5% × 17 = 0.85
    [InlineData(16.2, true)] // 0.80 ≤ 0.85
    [InlineData(16.0, false)] // 1.00 > 0.85
    [InlineData(18.5, true)] // beyond the target in the indicator's direction
    public void When_the_target_is_about_a_value_it_is_achieved_within_five_percent(double value, bool achieved)
    {
        var r = ProgressCalculator.Calculate(About, [Obs("2022", 15), Obs("2024", value)]);

        (r.Status == IndicatorStatuses.TargetAchieved).Should().Be(achieved);
    }

    [Fact]
    public void When_an_about_target_is_not_reached_progress_is_measured_toward_its_value()
    {
        // base 15 (2022), x = 16 (2024), x* = 17 (about, 2025).
        // g_o = (16/15)^(1/2) − 1 = 0.0327956; g_r = (17/15)^(1/3) − 1 = 0.0426036
        // p = 0.7697837 → NeedsAcceleration; score = 7.1429 × 0.7697837 − 4.2857 = 1.2127882
        var r = ProgressCalculator.Calculate(About, [Obs("2022", 15), Obs("2024", 16)]);

        r.ProgressValue.Should().BeApproximately(0.7697837, Precision);
        r.Score.Should().BeApproximately(1.2127882, Precision);
        r.Status.Should().Be(IndicatorStatuses.NeedsAcceleration);
    }

    [Fact]
    public void When_thresholds_are_configured_they_decide_the_status()
    {
        // p = 1.1159647 (first test): on track by default, but not with an on-track threshold of 1.2.
        var strict = new ScoringThresholds { OnTrack = 1.2 };
        var r = ProgressCalculator.Calculate(Income, [Obs("2023", 7200)], strict);

        r.Status.Should().Be(IndicatorStatuses.NeedsAcceleration);
    }

    [Fact]
    public void When_a_period_has_several_revisions_the_latest_counts_whatever_the_order()
    {
        Observation[] inOrder = [Rev("2022", 6000, 1), Rev("2023", 7200, 1), Rev("2023", 5000, 2)];
        var shuffled = new[] { inOrder[2], inOrder[0], inOrder[1] };

        var a = ProgressCalculator.Calculate(Income, inOrder);
        var b = ProgressCalculator.Calculate(Income, shuffled);

        a.CurrentValue.Should().Be(5000);
        a.Status.Should().Be(IndicatorStatuses.Deteriorating);
        b.Should().BeEquivalentTo(a);
    }

    [Fact]
    public void When_the_latest_period_is_a_quarter_it_counts_at_the_quarters_end()
    {
        // 2023Q2 ends at 2022.5: t − t0 = 2.5; g_o = (7000/5420)^(1/2.5) − 1 = 1.291513^0.4 − 1 = 0.1077442
        var r = ProgressCalculator.Calculate(Income, [Obs("2023Q2", 7000)]);

        r.CurrentYear.Should().Be(2022.5);
        r.ObservedGrowth.Should().BeApproximately(0.1077442, Precision);
    }
}

public class ActiveTargetTests
{
    // Three target years; progress is always measured toward the earliest one after the current value.
    static readonly IndicatorDefinition ThreeTargets = new(
        "T3",
        Direction.Increase,
        new Baseline(2020, 100),
        [new Target(2030, 200, null, ">="), new Target(2025, 140, null, ">="), new Target(2028, 170, null, ">=")]
    );

    [Theory]
    [InlineData("2023", 2025, 140)] // before every target year
    [InlineData("2025", 2028, 170)] // 2025 is a milestone now, not the active target
    [InlineData("2026", 2028, 170)]
    [InlineData("2029", 2030, 200)]
    [InlineData("2031", 2030, 200)] // past the last target year: the last one stays active
    public void When_the_current_value_moves_through_time_the_active_target_is_the_next_target_year(string period, int year, double value)
    {
        var r = ProgressCalculator.Calculate(ThreeTargets, [Indicators.Obs(period, 110)]);

        r.TargetYear.Should().Be(year);
        r.TargetValue.Should().Be(value);
    }

    [Fact]
    public void When_several_target_years_have_passed_each_is_a_milestone_evaluated_with_its_own_value()
    {
        // 2025: 150 ≥ 140 met; 2028: 160 < 170 missed; 2030 is still ahead (t = 2029).
        var r = ProgressCalculator.Calculate(
            ThreeTargets,
            [Indicators.Obs("2025", 150), Indicators.Obs("2028", 160), Indicators.Obs("2029", 175)]
        );

        r.Milestones.Should().Equal(new Milestone(2025, ">=", 140, 150, true), new Milestone(2028, ">=", 170, 160, false));
        r.TargetYear.Should().Be(2030);
        // g_o = (175/100)^(1/9) − 1 = 0.0641534; g_r = (200/100)^(1/10) − 1 = 0.0717735; p = 0.8938314
        r.ProgressValue.Should().BeApproximately(0.8938314, 1e-6);
        r.Status.Should().Be(IndicatorStatuses.NeedsAcceleration);
    }

    [Fact]
    public void When_a_milestone_year_is_reported_quarterly_its_fourth_quarter_counts()
    {
        var quarterly = ThreeTargets with { Code = "Q" };
        var r = ProgressCalculator.Calculate(quarterly, [Indicators.Obs("2025Q3", 120), Indicators.Obs("2025Q4", 141)]);

        r.Milestones.Should().ContainSingle().Which.Should().Be(new Milestone(2025, ">=", 140, 141, true));
    }
}
