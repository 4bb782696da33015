using System.Globalization;
using System.Text.RegularExpressions;

namespace Cnh.Contracts;

/// <summary>
/// A reporting period in DHIS2's forms: <c>2025</c> (year), <c>2025Q3</c> (quarter), <c>202507</c> (month).
/// A period counts at its end, in years: 2025 → 2025, 2025Q3 → 2024.75, 202507 → 2024.5833, so that 2025Q4 and
/// 202512 both count as 2025.
/// </summary>
public sealed partial record ReportingPeriod(string Text, string Frequency, int Year, int Part)
{
    public const string Annual = "annual";
    public const string Quarterly = "quarterly";
    public const string Monthly = "monthly";

    public double EndInYears =>
        Frequency switch
        {
            Quarterly => Year - 1 + Part / 4.0,
            Monthly => Year - 1 + Part / 12.0,
            _ => Year,
        };

    /// <summary>True when the period ends with a calendar year, so its value is that year's value (for milestones).</summary>
    public bool EndsYear => Frequency == Annual || (Frequency == Quarterly && Part == 4) || (Frequency == Monthly && Part == 12);

    /// <summary>The first and the last day of the period.</summary>
    public DateOnly StartDate =>
        Frequency switch
        {
            Quarterly => new DateOnly(Year, (Part - 1) * 3 + 1, 1),
            Monthly => new DateOnly(Year, Part, 1),
            _ => new DateOnly(Year, 1, 1),
        };

    public DateOnly EndDate =>
        Frequency switch
        {
            Quarterly => new DateOnly(Year, Part * 3, 1).AddMonths(1).AddDays(-1),
            Monthly => new DateOnly(Year, Part, 1).AddMonths(1).AddDays(-1),
            _ => new DateOnly(Year, 12, 31),
        };

    /// <summary>The value for this period is due <paramref name="dueDays"/> days after it ends.</summary>
    public DateOnly DueDate(int dueDays) => EndDate.AddDays(dueDays);

    /// <summary>The moment a value becomes late: the end of its due date in the city's time zone (<paramref name="zone"/>).</summary>
    public DateTimeOffset Deadline(int dueDays, TimeZoneInfo zone)
    {
        var midnight = DueDate(dueDays).AddDays(1).ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }

    /// <summary>The periods of <paramref name="frequency"/> that lie inside this one: 2025 holds 2025Q1…2025Q4 and 202501…202512.</summary>
    public IEnumerable<ReportingPeriod> Contained(string frequency)
    {
        var start = StartDate;
        var end = EndDate;
        return Of(frequency, start.Year, end.Year).Where(p => p.StartDate >= start && p.EndDate <= end);
    }

    /// <summary>Every period of <paramref name="frequency"/> from the start of <paramref name="fromYear"/> to the end of <paramref
    /// name="toYear"/>.</summary>
    public static IEnumerable<ReportingPeriod> Of(string frequency, int fromYear, int toYear)
    {
        for (var year = fromYear; year <= toYear; year++)
        {
            if (frequency == Annual)
                yield return new(year.ToString(CultureInfo.InvariantCulture), Annual, year, 0);
            else if (frequency == Quarterly)
                for (var q = 1; q <= 4; q++)
                    yield return new(string.Create(CultureInfo.InvariantCulture, $"{year}Q{q}"), Quarterly, year, q);
            else if (frequency == Monthly)
                for (var m = 1; m <= 12; m++)
                    yield return new(string.Create(CultureInfo.InvariantCulture, $"{year}{m:00}"), Monthly, year, m);
        }
    }

    public static bool TryParse(string? text, out ReportingPeriod period)
    {
        period = null!;
        if (string.IsNullOrEmpty(text) || text.Length > 6)
            return false;
        var m = Form().Match(text);
        if (!m.Success)
            return false;
        var year = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (year < 1900 || year > 2200)
            return false;
        if (m.Groups["q"].Success)
            period = new(text, Quarterly, year, m.Groups["q"].Value[0] - '0');
        else if (m.Groups["m"].Success)
            period = new(text, Monthly, year, int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture));
        else
            period = new(text, Annual, year, 0);
        return true;
    }

    public static ReportingPeriod Parse(string text) =>
        TryParse(text, out var p) ? p : throw new FormatException($"'{text}' is not a period (2025, 2025Q3 or 202507).");

    [GeneratedRegex(@"^(?<year>[0-9]{4})(?:Q(?<q>[1-4])|(?<m>0[1-9]|1[0-2]))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Form();
}
