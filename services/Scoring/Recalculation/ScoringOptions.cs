using Cnh.Scoring.Method;

namespace Cnh.Scoring.Recalculation;

/// <summary><c>Scoring:Thresholds</c> applies to every catalogue; <c>Scoring:Catalogues:{name}</c> overrides it for one.</summary>
public sealed class ScoringOptions
{
    public ScoringThresholds Thresholds { get; set; } = new();
    public Dictionary<string, ScoringThresholds> Catalogues { get; set; } = new();

    public ScoringThresholds For(string catalogue) => Catalogues.TryGetValue(catalogue, out var t) ? t : Thresholds;
}
