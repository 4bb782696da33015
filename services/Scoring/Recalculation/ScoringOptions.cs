using Cnh.Scoring.Method;

namespace Cnh.Scoring.Recalculation;

/// <summary><c>Scoring:Thresholds</c> applies to every catalogue; <c>Scoring:Catalogues:{name}</c> overrides it for one.</summary>
public sealed class ScoringOptions
{
    public ScoringThresholds Thresholds { get; set; } = new();
    public Dictionary<string, ScoringThresholds> Catalogues { get; set; } = new();

    /// <summary>Indicators rescored at once by one instance.</summary>
    public int RecalculationConcurrency { get; set; } = 4;

    /// <summary>Pending values taken into one recalculation (and one IndicatorScored).</summary>
    public int MaxValuesPerRecalculation { get; set; } = 1000;
    public int PendingPollMilliseconds { get; set; } = 1000;

    /// <summary>
    /// An indicator is rescored at most once in this time: the values arriving meanwhile wait at most this long and are
    /// taken in together, so a busy indicator costs a few recalculations (and IndicatorScored events) per second.
    /// </summary>
    public int MinRecalculationIntervalMilliseconds { get; set; } = 200;
    public int LockTimeoutSeconds { get; set; } = 5;

    /// <summary>SubmissionAccepted messages handled at once; their values are stored in groups of up to IntakeGroupSize.</summary>
    public int IntakeConcurrency { get; set; } = 512;
    public int IntakeGroupSize { get; set; } = 256;

    /// <summary>Groups committed at once.</summary>
    public int IntakeWriters { get; set; } = 2;

    /// <summary>SubmissionBatchAccepted messages handled at once, each stored in a transaction of its own.</summary>
    public int BatchIntakeConcurrency { get; set; } = 4;

    public ScoringThresholds For(string catalogue) => Catalogues.TryGetValue(catalogue, out var t) ? t : Thresholds;
}
