using System.Globalization;
using System.Security.Claims;
using Cnh.Contracts;
using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;

namespace Cnh.Submissions.Submit;

/// <summary>The fields of one value, whether it comes alone, in a JSON batch or as a CSV row.</summary>
public sealed record SubmissionRequest(string? IndicatorCode, string? Period, double? Value, string? Note, string? Source);

/// <summary>How far from an indicator's history a value may be before it needs a note (<c>Submissions:Outliers</c>).</summary>
public sealed class OutlierOptions
{
    /// <summary><c>zscore</c>, <c>minmax</c> or <c>none</c>.</summary>
    public string Method { get; set; } = "zscore";
    public double ZScoreThreshold { get; set; } = 3;

    /// <summary>For <c>minmax</c>: how far outside the range seen so far, as a share of that range.</summary>
    public double RangeTolerance { get; set; } = 0.5;

    /// <summary>Fewer earlier values than this say nothing about what is usual.</summary>
    public int MinHistory { get; set; } = 3;
}

/// <summary>The latest values of an indicator's other periods, summarized: all an outlier check needs.</summary>
public sealed record HistoryStats(int Count, double Mean, double StdDev, double Min, double Max)
{
    public static readonly HistoryStats None = new(0, 0, 0, 0, 0);

    public static HistoryStats Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
            return None;
        var mean = values.Average();
        return new(values.Count, mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count), values.Min(), values.Max());
    }
}

/// <summary>What one row must satisfy: its shape, the catalogue, the caller's department, plausibility and history.</summary>
public static class SubmissionRules
{
    public sealed record Verdict(IReadOnlyDictionary<string, string[]> Errors, bool Forbidden, ReportingPeriod? Period, string? FlagReason)
    {
        public bool Valid => Errors.Count == 0;
    }

    public static Dictionary<string, string[]> ValidateShape(SubmissionRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(r.IndicatorCode))
            errors["indicatorCode"] = ["Required."];
        else if (r.IndicatorCode.Length > 32)
            errors["indicatorCode"] = ["At most 32 characters."];
        else if (!TextRules.IsSafe(r.IndicatorCode))
            errors["indicatorCode"] = ["Control characters are not allowed."];
        if (string.IsNullOrWhiteSpace(r.Period))
            errors["period"] = ["Required."];
        else if (!ReportingPeriod.TryParse(r.Period, out _))
            errors["period"] = ["Use 2025 (year), 2025Q3 (quarter) or 202507 (month)."];
        if (r.Value is null)
            errors["value"] = ["Required."];
        else if (!double.IsFinite(r.Value.Value))
            errors["value"] = ["Must be a finite number."];
        if (r.Note is { Length: > 2000 })
            errors["note"] = ["At most 2000 characters."];
        else if (!TextRules.IsSafe(r.Note, allowLineBreaks: true))
            errors["note"] = ["Control characters are not allowed."];
        if (r.Source is { Length: > 500 })
            errors["source"] = ["At most 500 characters."];
        else if (!TextRules.IsSafe(r.Source))
            errors["source"] = ["Control characters are not allowed."];
        return errors;
    }

    /// <param name="history">The latest value of every other period of this indicator.</param>
    public static Verdict Check(
        SubmissionRequest r,
        IndicatorReplica? indicator,
        ClaimsPrincipal user,
        HistoryStats history,
        OutlierOptions outliers
    )
    {
        var shape = ValidateShape(r);
        if (shape.Count > 0)
            return new(shape, false, null, null);
        if (indicator is null || indicator.Retired)
            return Invalid("indicatorCode", $"Unknown indicator '{r.IndicatorCode}'.");
        var period = ReportingPeriod.Parse(r.Period!);
        if (period.Frequency != indicator.ReportingFrequency)
            return Invalid(
                "period",
                $"{indicator.Code} is reported {indicator.ReportingFrequency}; '{r.Period}' is a {period.Frequency} period."
            );
        if (!user.IsAdmin() && user.Department() != indicator.ResponsibleDepartment)
            return new(
                new Dictionary<string, string[]>
                {
                    ["indicatorCode"] = [$"{indicator.Code} is reported by department {indicator.ResponsibleDepartment}."],
                },
                true,
                period,
                null
            );

        var value = r.Value!.Value;
        var (min, max) = PlausibleRange(indicator);
        if (value < min || value > max)
            return Invalid(
                "value",
                $"{Format(value)} is outside the plausible range of {indicator.Code}, {Format(min)} to {Format(max)} {indicator.Unit}."
            );

        var flag = OutlierReason(value, history, outliers);
        if (flag is not null && string.IsNullOrWhiteSpace(r.Note))
            return Invalid("note", $"{flag}; explain it in a note to submit it.");
        return new(new Dictionary<string, string[]>(), false, period, flag);

        static Verdict Invalid(string field, string message) =>
            new(new Dictionary<string, string[]> { [field] = [message] }, false, null, null);
    }

    /// <summary>The catalogue's bounds; without them a share in percent (unit <c>%</c>, <c>% hộ</c>, not <c>%/năm</c>) is 0–100.</summary>
    public static (double Min, double Max) PlausibleRange(IndicatorReplica indicator)
    {
        var isShare = indicator.Unit.StartsWith('%') && !indicator.Unit.Contains('/');
        return (
            indicator.PlausibleMin ?? (isShare ? 0 : double.NegativeInfinity),
            indicator.PlausibleMax ?? (isShare ? 100 : double.PositiveInfinity)
        );
    }

    public static string? OutlierReason(double value, HistoryStats history, OutlierOptions options)
    {
        if (history.Count < Math.Max(1, options.MinHistory))
            return null;
        switch (options.Method)
        {
            case "zscore":
            {
                // A perfectly flat history would make every change infinitely unusual; 1% of the mean is the least spread assumed.
                var sd = Math.Max(history.StdDev, Math.Max(Math.Abs(history.Mean) * 0.01, 1e-9));
                var z = (value - history.Mean) / sd;
                return Math.Abs(z) > options.ZScoreThreshold
                    ? $"{Format(value)} is far from this indicator's history (z = {Format(z)} against {history.Count} "
                        + $"values, mean {Format(history.Mean)})"
                    : null;
            }
            case "minmax":
            {
                var slack = Math.Max(history.Max - history.Min, Math.Abs(history.Max) * 0.01) * options.RangeTolerance;
                return value < history.Min - slack || value > history.Max + slack
                    ? $"{Format(value)} is far outside this indicator's range so far ({Format(history.Min)} to {Format(history.Max)})"
                    : null;
            }
            default:
                return null;
        }
    }

    static string Format(double d) => d.ToString("0.###", CultureInfo.InvariantCulture);
}
