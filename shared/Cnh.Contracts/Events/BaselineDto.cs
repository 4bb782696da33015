namespace Cnh.Contracts;

/// <summary>An indicator's base point, part of <see cref="IndicatorDefined"/>.</summary>
public sealed record BaselineDto(int Year, double Value);
