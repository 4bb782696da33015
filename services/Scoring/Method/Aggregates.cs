namespace Cnh.Scoring.Method;

public sealed record IndicatorScore(string Code, string Group, string Status, double? Score);

public sealed record GroupScore(string Group, double? Score, double Coverage, int Scored, int Total);

public sealed record ScoreSummary(
    double? CompositeIndex,
    IReadOnlyList<GroupScore> Groups,
    IReadOnlyDictionary<string, int> CountsByStatus,
    int Total
);

/// <summary>Group score: mean of its indicators' scores; coverage: share with a score; composite: mean of group scores.</summary>
public static class Aggregates
{
    public static ScoreSummary Summarize(IReadOnlyCollection<IndicatorScore> indicators, IEnumerable<string> groupOrder)
    {
        var groups = groupOrder
            .Union(indicators.Select(i => i.Group))
            .Select(group =>
            {
                var members = indicators.Where(i => i.Group == group).ToList();
                var scores = members.Where(i => i.Score is not null).Select(i => i.Score!.Value).ToList();
                return new GroupScore(
                    group,
                    scores.Count > 0 ? scores.Average() : null,
                    members.Count > 0 ? (double)scores.Count / members.Count : 0,
                    scores.Count,
                    members.Count
                );
            })
            .ToList();
        var scored = groups.Where(g => g.Score is not null).Select(g => g.Score!.Value).ToList();
        var counts = indicators.GroupBy(i => i.Status).ToDictionary(g => g.Key, g => g.Count());
        return new ScoreSummary(scored.Count > 0 ? scored.Average() : null, groups, counts, indicators.Count);
    }
}
