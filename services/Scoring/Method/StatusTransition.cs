using Cnh.Contracts;

namespace Cnh.Scoring.Method;

/// <summary>
/// "Falls behind": becomes NeedsAcceleration, LimitedProgress or Deteriorating (its first score included) or moves to a
/// worse status in the order TargetAchieved, OnTrack, NeedsAcceleration, LimitedProgress, Deteriorating.
/// "Recovers": stops being behind by reaching OnTrack or TargetAchieved.
/// </summary>
public static class StatusTransition
{
    static readonly string[] Order =
    [
        IndicatorStatuses.TargetAchieved,
        IndicatorStatuses.OnTrack,
        IndicatorStatuses.NeedsAcceleration,
        IndicatorStatuses.LimitedProgress,
        IndicatorStatuses.Deteriorating,
    ];

    public static bool IsBehind(string? status) => Rank(status) >= 2;

    public static string Classify(string? previous, string next)
    {
        int before = Rank(previous),
            after = Rank(next);
        if (IsBehind(next) && (!IsBehind(previous) || after > before))
            return StatusTransitions.FellBehind;
        if (IsBehind(previous) && after is 0 or 1)
            return StatusTransitions.Recovered;
        if (before >= 0 && after >= 0 && after < before)
            return StatusTransitions.Improved;
        return StatusTransitions.Other;
    }

    static int Rank(string? status) => status is null ? -1 : Array.IndexOf(Order, status);
}
