namespace Cnh.Submissions.Approval;

/// <summary>
/// <c>Submissions:Approval</c>: how many approval steps a catalogue's values go through — 2 (the department's approver,
/// then the statistics office), 1 (the statistics office only) or 0 (none: a value is official as it comes). Per
/// catalogue in <c>Catalogues</c> (e.g. <c>Submissions__Approval__Catalogues__hanoi-cnh-hdh-2030=1</c>), else
/// <c>Levels</c>.
/// </summary>
public sealed class ApprovalOptions
{
    public int Levels { get; set; } = 2;
    public Dictionary<string, int> Catalogues { get; set; } = new();

    public int LevelsFor(string? catalogue) =>
        Math.Clamp(catalogue is not null && Catalogues.TryGetValue(catalogue, out var levels) ? levels : Levels, 0, 2);

    /// <summary>What a value of <paramref name="catalogue"/> is as it comes: official (no steps), and whether it already
    /// waits for the statistics office (one step).</summary>
    public (bool Official, bool AwaitsStatistics) OnArrival(string? catalogue)
    {
        var levels = LevelsFor(catalogue);
        return (levels == 0, ApprovalRules.AwaitedStep(levels, Data.ApprovalState.Submitted) == ApprovalRules.StatisticsStep);
    }
}
