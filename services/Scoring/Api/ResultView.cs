using Cnh.Scoring.Method;

namespace Cnh.Scoring.Api;

/// <summary>
/// The scoring method's result as the API answers it (<c>result</c>): a record of its own, mapped field by field, so
/// that renaming a property of <see cref="ProgressResult"/> — which is also the stored history (jsonb) — fails to
/// compile here instead of silently changing the API, and the API can change without rewriting stored history.
/// </summary>
public sealed record ResultView(
    string Status,
    double? Score,
    double? ProgressValue,
    double? AttainmentPercent,
    double? BaseYear,
    double? BaseValue,
    string? CurrentPeriod,
    double? CurrentYear,
    double? CurrentValue,
    int? TargetYear,
    string? TargetOp,
    double? TargetValue,
    double? ObservedGrowth,
    double? RequiredGrowth,
    string? Note,
    IReadOnlyList<MilestoneView> Milestones,
    Guid? BasedOnSubmissionId,
    int? BasedOnRevision
)
{
    public static ResultView From(ProgressResult r) =>
        new(
            r.Status,
            r.Score,
            r.ProgressValue,
            r.AttainmentPercent,
            r.BaseYear,
            r.BaseValue,
            r.CurrentPeriod,
            r.CurrentYear,
            r.CurrentValue,
            r.TargetYear,
            r.TargetOp,
            r.TargetValue,
            r.ObservedGrowth,
            r.RequiredGrowth,
            r.Note,
            [.. r.Milestones.Select(MilestoneView.From)],
            r.BasedOnSubmissionId,
            r.BasedOnRevision
        );
}

/// <summary>A target year checked against that year's value (null <c>Met</c>: no value for exactly that year yet).</summary>
public sealed record MilestoneView(int Year, string Op, double TargetValue, double? ObservedValue, bool? Met)
{
    public static MilestoneView From(Milestone m) => new(m.Year, m.Op, m.TargetValue, m.ObservedValue, m.Met);
}
