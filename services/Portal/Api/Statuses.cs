using Cnh.Contracts;

namespace Cnh.Portal.Api;

/// <summary>The statuses in the order the pages, the workbook and the briefing list them, and those that mean "behind".</summary>
public static class Statuses
{
    public static readonly string[] Order =
    [
        IndicatorStatuses.TargetAchieved,
        IndicatorStatuses.OnTrack,
        IndicatorStatuses.NeedsAcceleration,
        IndicatorStatuses.LimitedProgress,
        IndicatorStatuses.Deteriorating,
        IndicatorStatuses.NotAvailable,
    ];

    public static readonly string[] Behind =
    [
        IndicatorStatuses.NeedsAcceleration,
        IndicatorStatuses.LimitedProgress,
        IndicatorStatuses.Deteriorating,
    ];
}
