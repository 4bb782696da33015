namespace Cnh.Contracts;

public static class IndicatorDefaults
{
    /// <summary>A value is due this many days after its period ends, unless the catalogue says otherwise.</summary>
    public const int DueDays = 90;
}
