using Cnh.Catalogue.Seed;

namespace Cnh.Catalogue.Indicators;

/// <summary>What makes an indicator definition valid; field names in the errors are the JSON paths a client sent.</summary>
public static class IndicatorRules
{
    static readonly string[] Directions = ["increase", "decrease"];
    static readonly string[] Frequencies = ["annual", "quarterly", "monthly"];
    static readonly string[] IncreaseOps = ["range", "about", ">=", ">"];
    static readonly string[] DecreaseOps = ["range", "about", "<=", "<"];

    public static Dictionary<string, string[]> Validate(IndicatorDocument doc, ISet<string> groups, ISet<string> departments)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = new();
            list.Add(message);
        }

        if (string.IsNullOrWhiteSpace(doc.Code) || doc.Code.Length > 32) Add("code", "A code of 1 to 32 characters is required.");
        if (!groups.Contains(doc.Group ?? "")) Add("group", $"Unknown group '{doc.Group}'.");
        if (string.IsNullOrWhiteSpace(doc.NameVi)) Add("nameVi", "Required.");
        if (string.IsNullOrWhiteSpace(doc.NameEn)) Add("nameEn", "Required.");
        if (string.IsNullOrWhiteSpace(doc.Unit)) Add("unit", "Required.");
        if (!Directions.Contains(doc.Direction)) Add("direction", "Must be 'increase' or 'decrease'.");
        if (!Frequencies.Contains(doc.ReportingFrequency)) Add("reportingFrequency", "Must be annual, quarterly or monthly.");
        if (!departments.Contains(doc.ResponsibleDepartment ?? "")) Add("responsibleDepartment", $"Unknown department '{doc.ResponsibleDepartment}'.");
        foreach (var (d, i) in (doc.CoordinatingDepartments ?? []).Select((d, i) => (d, i)))
            if (!departments.Contains(d)) Add($"coordinatingDepartments[{i}]", $"Unknown department '{d}'.");
        if (doc.Weight is { } w && (!double.IsFinite(w) || w <= 0)) Add("weight", "Must be a positive number.");
        if (doc.Baseline is { } b && !double.IsFinite(b.Value)) Add("baseline.value", "Must be a finite number.");

        if (doc.Targets is null || doc.Targets.Count == 0) Add("targets", "At least one target is required.");
        else
        {
            var ops = doc.Direction == "decrease" ? DecreaseOps : IncreaseOps;
            for (var i = 0; i < doc.Targets.Count; i++)
            {
                var t = doc.Targets[i];
                var at = $"targets[{i}]";
                if (i > 0 && t.Year <= doc.Targets[i - 1].Year) Add($"{at}.year", "Target years must be strictly ascending.");
                if (doc.Baseline is { } baseline && t.Year <= baseline.Year) Add($"{at}.year", "A target year must come after the baseline year.");
                if (!ops.Contains(t.Op)) Add($"{at}.op", $"'{t.Op}' does not fit direction '{doc.Direction}'; use one of {string.Join(", ", ops)}.");
                if (t.Min is { } min && !double.IsFinite(min)) Add($"{at}.min", "Must be a finite number.");
                if (t.Max is { } max && !double.IsFinite(max)) Add($"{at}.max", "Must be a finite number.");
                if (t.Min is { } lo && t.Max is { } hi && lo > hi) Add($"{at}.min", "min must not exceed max.");
                var needsMin = t.Op is "range" or "about" or ">=" or ">";
                var needsMax = t.Op is "range" or "<=" or "<";
                if (needsMin && t.Min is null) Add($"{at}.min", $"Op '{t.Op}' needs min.");
                if (needsMax && t.Max is null) Add($"{at}.max", $"Op '{t.Op}' needs max.");
            }
        }
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }
}
