using Cnh.Catalogue.Documents;
using Cnh.ServiceDefaults;

namespace Cnh.Catalogue.Indicators;

/// <summary>What makes an indicator definition valid; field names in the errors are the JSON paths a client sent.</summary>
public static class IndicatorRules
{
    const double MaxWeight = 100;
    static readonly string[] Directions = ["increase", "decrease"];
    static readonly string[] Frequencies = ["annual", "quarterly", "monthly"];
    static readonly string[] IncreaseOps = ["range", "about", ">=", ">"];
    static readonly string[] DecreaseOps = ["range", "about", "<=", "<"];

    public static Dictionary<string, string[]> Validate(IndicatorDocument doc, ISet<string> groups, ISet<string> departments)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
                errors[field] = list = new();
            list.Add(message);
        }

        if (!CodeRules.IsCode(doc.Code))
            Add("code", CodeRules.CodeMessage);
        if (!groups.Contains(doc.Group ?? ""))
            Add("group", "Unknown group.");
        Text("nameVi", doc.NameVi, 500, required: true);
        Text("nameEn", doc.NameEn, 500, required: true);
        Text("unit", doc.Unit, 100, required: true);
        Text("source", doc.Source, 2000, required: false);
        Text("nationalAlignment", doc.NationalAlignment, 2000, required: false);
        if (doc.Confidence is not ("documented" or "inferred"))
            Add("confidence", "Must be 'documented' or 'inferred'.");
        if (!Directions.Contains(doc.Direction))
            Add("direction", "Must be 'increase' or 'decrease'.");
        if (!Frequencies.Contains(doc.ReportingFrequency))
            Add("reportingFrequency", "Must be annual, quarterly or monthly.");
        if (!departments.Contains(doc.ResponsibleDepartment ?? ""))
            Add("responsibleDepartment", "Unknown department.");
        foreach (var (d, i) in (doc.CoordinatingDepartments ?? []).Select((d, i) => (d, i)))
            if (!departments.Contains(d ?? ""))
                Add($"coordinatingDepartments[{i}]", "Unknown department.");
        if (doc.Weight is { } w && (!double.IsFinite(w) || w <= 0 || w > MaxWeight))
            Add("weight", $"Must be above 0 and at most {MaxWeight}.");
        if (doc.CoordinatingDepartments is null)
            Add("coordinatingDepartments", "Required (an empty list for none).");
        if (doc.DueDays is < 0 or > 730)
            Add("dueDays", "From 0 to 730 days after the period ends.");
        if (doc.PlausibleMin is { } pmin && !double.IsFinite(pmin))
            Add("plausibleMin", "Must be a finite number.");
        if (doc.PlausibleMax is { } pmax && !double.IsFinite(pmax))
            Add("plausibleMax", "Must be a finite number.");
        if (doc.PlausibleMin is { } lower && doc.PlausibleMax is { } upper && lower > upper)
            Add("plausibleMin", "plausibleMin must not exceed plausibleMax.");
        if (doc.Baseline is { } b)
        {
            if (b.Year is not (>= 1900 and <= 2200))
                Add("baseline.year", "A year from 1900 to 2200 is required.");
            if (b.Value is not { } bv || !double.IsFinite(bv))
                Add("baseline.value", "A finite number is required.");
        }

        if (doc.Targets is null || doc.Targets.Count == 0)
            Add("targets", "At least one target is required.");
        else
        {
            var ops = doc.Direction == "decrease" ? DecreaseOps : IncreaseOps;
            for (var i = 0; i < doc.Targets.Count; i++)
            {
                var t = doc.Targets[i];
                var at = $"targets[{i}]";
                if (t is null)
                {
                    Add(at, "A target object is required.");
                    continue;
                }
                if (i > 0 && doc.Targets[i - 1] is { } previous && t.Year <= previous.Year)
                    Add($"{at}.year", "Target years must be strictly ascending.");
                if (t.Year is < 1900 or > 2200)
                    Add($"{at}.year", "A year from 1900 to 2200 is required.");
                if (doc.Baseline?.Year is { } baseYear && t.Year <= baseYear)
                    Add($"{at}.year", "A target year must come after the baseline year.");
                if (!ops.Contains(t.Op))
                    Add($"{at}.op", $"Does not fit the direction; use one of {string.Join(", ", ops)}.");
                Text($"{at}.targetStatus", t.TargetStatus, 100, required: false);
                Text($"{at}.source", t.Source, 2000, required: false);
                if (t.Min is { } min && !double.IsFinite(min))
                    Add($"{at}.min", "Must be a finite number.");
                if (t.Max is { } max && !double.IsFinite(max))
                    Add($"{at}.max", "Must be a finite number.");
                if (t.Min is { } lo && t.Max is { } hi && lo > hi)
                    Add($"{at}.min", "min must not exceed max.");
                var needsMin = t.Op is "range" or "about" or ">=" or ">";
                var needsMax = t.Op is "range" or "<=" or "<";
                if (needsMin && t.Min is null)
                    Add($"{at}.min", $"Op '{t.Op}' needs min.");
                if (needsMax && t.Max is null)
                    Add($"{at}.max", $"Op '{t.Op}' needs max.");
            }
        }
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

        void Text(string field, string? value, int max, bool required)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                if (required)
                    Add(field, "Required.");
            }
            else if (value.Length > max)
                Add(field, $"At most {max} characters.");
            else if (!TextRules.IsSafe(value))
                Add(field, "Control characters are not allowed.");
        }
    }
}
