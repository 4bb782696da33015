using Cnh.Contracts;

namespace Cnh.Scoring.Method;

/// <summary>
/// The compound-annual-growth progress measure (Statistics Canada / Open SDG), extended to several target years, as
/// docs/scoring.md states it. Pure: same inputs, same result, whatever order the observations arrived in.
/// </summary>
public static class ProgressCalculator
{
    const double ZeroSubstitute = 0.001;

    public static ProgressResult Calculate(
        IndicatorDefinition indicator,
        IEnumerable<Observation> observations,
        ScoringThresholds? thresholds = null
    )
    {
        thresholds ??= ScoringThresholds.Default;
        var series = LatestRevisions(observations);
        var targets = indicator.Targets.OrderBy(t => t.Year).ToList();
        if (series.Count == 0 || targets.Count == 0)
            return Empty(series.Count == 0 ? "No value reported yet." : "The indicator has no target.");

        var d = (int)indicator.Direction;
        var current = series[^1];
        var t = current.Period.EndInYears;
        var x = current.Value;

        var active = targets.FirstOrDefault(target => target.Year > t) ?? targets[^1];
        var xStar = TargetValue(active, indicator.Direction);
        var milestones = targets
            .Where(target => target.Year <= t)
            .Select(target => EvaluateMilestone(target, indicator.Direction, series, thresholds))
            .ToList();

        var (t0, x0) = indicator.Baseline is { } b ? (b.Year, b.Value) : (series[0].Period.EndInYears, series[0].Value);
        var attainment = Attainment(x, xStar, indicator.Direction);
        var achieved = IsAchieved(x, active, indicator.Direction, thresholds);

        double? gO = null,
            gR = null,
            p = null;
        string? note = null;
        var x0Used = x0 == 0 ? ZeroSubstitute : x0;
        var xStarUsed = xStar == 0 ? ZeroSubstitute : xStar;
        if (t - t0 < 1)
            note = "Less than a year between the base and the current value: no progress value.";
        else if (Math.Sign(x0Used) * Math.Sign(x) < 0)
            note = "The base and the current value have different signs: no progress value.";
        else if (active.Year - t0 <= 0)
            note = "The target year is not after the base year: no progress value.";
        else
        {
            var s = x0Used < 0 ? -1 : 1;
            gO = Math.Pow(x / x0Used, 1 / (t - t0)) - 1;
            gR = Math.Pow(xStarUsed / x0Used, 1 / (active.Year - t0)) - 1;
            if (double.IsNaN(gR.Value))
            {
                note = "The base and the target have different signs: no progress value.";
                gR = null;
            }
            else if (gR.Value == 0)
                note = "The target equals the base, so no growth is required: no progress value.";
            else
                p = s * d * gO.Value / Math.Abs(gR.Value);
        }

        var status =
            achieved ? IndicatorStatuses.TargetAchieved
            : p is { } pv ? StatusOf(pv, thresholds)
            : IndicatorStatuses.NotAvailable;
        var score =
            achieved ? 5
            : p is { } pScore ? ScoreOf(pScore)
            : (double?)null;
        return new ProgressResult(
            status,
            score,
            p,
            attainment,
            t0,
            x0,
            current.Period.Text,
            t,
            x,
            active.Year,
            active.Op,
            xStar,
            gO,
            gR,
            note,
            milestones,
            current.SubmissionId,
            current.Revision
        );
    }

    /// <summary>The value to reach: min for increase, max for decrease, min for "about".</summary>
    public static double TargetValue(Target target, Direction direction) =>
        target.Op == "about" ? target.Min ?? target.Max ?? 0
        : direction == Direction.Increase ? target.Min ?? target.Max ?? 0
        : target.Max ?? target.Min ?? 0;

    /// <summary>
    /// At or beyond the target in the indicator's direction; a range counts from its near bound; an "about" target is
    /// also reached within the tolerance short of it.
    /// </summary>
    public static bool IsAchieved(double x, Target target, Direction direction, ScoringThresholds thresholds)
    {
        var xStar = TargetValue(target, direction);
        var beyond = direction == Direction.Increase ? x >= xStar : x <= xStar;
        if (target.Op == "about")
            return beyond || Math.Abs(x - xStar) <= thresholds.AboutTolerance * Math.Abs(xStar);
        return beyond;
    }

    public static string StatusOf(double p, ScoringThresholds thresholds) =>
        p >= thresholds.OnTrack ? IndicatorStatuses.OnTrack
        : p >= thresholds.NeedsAcceleration ? IndicatorStatuses.NeedsAcceleration
        : p >= thresholds.LimitedProgress ? IndicatorStatuses.LimitedProgress
        : IndicatorStatuses.Deteriorating;

    /// <summary>Score in [−5, 5]: linear through 0 at p = 0.6, reaching 5 at p = 1.3 and −5 at p = −0.6.</summary>
    public static double ScoreOf(double p) => p >= 0.6 ? Math.Min(7.1429 * p - 4.2857, 5) : Math.Max(4.1667 * p - 2.5, -5);

    static double? Attainment(double x, double xStar, Direction direction)
    {
        var (numerator, denominator) = direction == Direction.Increase ? (x, xStar) : (xStar, x);
        if (denominator == 0)
            return numerator == 0 ? 100 : null;
        return 100 * numerator / denominator;
    }

    static Milestone EvaluateMilestone(Target target, Direction direction, IReadOnlyList<Observation> series, ScoringThresholds thresholds)
    {
        var value = series.LastOrDefault(o => o.Period.EndsYear && o.Period.Year == target.Year);
        var xStar = TargetValue(target, direction);
        return value is null
            ? new Milestone(target.Year, target.Op, xStar, null, null)
            : new Milestone(target.Year, target.Op, xStar, value.Value, IsAchieved(value.Value, target, direction, thresholds));
    }

    /// <summary>One observation per period, its highest revision, in time order.</summary>
    static List<Observation> LatestRevisions(IEnumerable<Observation> observations) =>
        observations.GroupBy(o => o.Period.Text).Select(g => g.MaxBy(o => o.Revision)!).OrderBy(o => o.Period.EndInYears).ToList();

    static ProgressResult Empty(string note) =>
        new(
            IndicatorStatuses.NotAvailable,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            note,
            [],
            null,
            null
        );
}
