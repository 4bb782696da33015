using Cnh.Contracts;

namespace Cnh.Scoring.Method;

public enum Direction
{
    Increase = 1,
    Decrease = -1,
}

/// <summary>One target year; Op is range, about, &gt;=, &gt;, &lt;=, &lt; as in the catalogue.</summary>
public sealed record Target(int Year, double? Min, double? Max, string Op);

public sealed record Baseline(int Year, double Value);

/// <summary>What the method needs from a catalogue definition.</summary>
public sealed record IndicatorDefinition(string Code, Direction Direction, Baseline? Baseline, IReadOnlyList<Target> Targets);

/// <summary>One reported value; the latest revision of a period replaces the earlier ones.</summary>
public sealed record Observation(ReportingPeriod Period, double Value, int Revision, Guid SubmissionId);

/// <summary>Status thresholds on the progress value and the tolerance of "about" targets; configurable per catalogue.</summary>
public sealed record ScoringThresholds
{
    public double OnTrack { get; init; } = 0.95;
    public double NeedsAcceleration { get; init; } = 0.6;
    public double LimitedProgress { get; init; } = 0.0;
    public double AboutTolerance { get; init; } = 0.05;
    public static readonly ScoringThresholds Default = new();
}

public sealed record Milestone(int Year, string Op, double TargetValue, double? ObservedValue, bool? Met);

/// <summary>The outcome with every input, so a person can redo the arithmetic by hand.</summary>
public sealed record ProgressResult(
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
    IReadOnlyList<Milestone> Milestones,
    Guid? BasedOnSubmissionId,
    int? BasedOnRevision
);
