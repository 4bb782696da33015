namespace Cnh.Contracts;

/// <summary>One target year of <see cref="IndicatorDefined"/>. Op is one of range, about, &gt;=, &gt;, &lt;=, &lt; as in the seed
/// catalogue.</summary>
public sealed record TargetDto(int Year, double? Min, double? Max, string Op);
