using System.Globalization;
using System.Text;

namespace Cnh.Submissions.Submit;

/// <summary>
/// RFC 4180 CSV with a header row naming the fields (<c>indicatorCode,period,value,note,source</c>, any order, any
/// case); quoted fields may hold commas, quotes ("") and line breaks.
/// </summary>
public static class CsvRows
{
    static readonly string[] Columns = ["indicatorcode", "period", "value", "note", "source"];

    public sealed record Row(int Number, SubmissionRequest? Request, string? Error);

    public static (List<Row> Rows, string? HeaderError) Parse(string text)
    {
        List<List<string>> records;
        try
        {
            records = Records(text).ToList();
        }
        catch (FormatException ex)
        {
            return ([], ex.Message);
        }
        if (records.Count == 0) return ([], "The CSV has no header row.");
        var header = records[0].Select(h => h.Trim().Replace("_", "").ToLowerInvariant()).ToArray();
        var unknown = header.Where(h => !Columns.Contains(h)).ToList();
        if (unknown.Count > 0) return ([], $"Unknown column(s) {string.Join(", ", unknown)}; use {string.Join(",", "indicatorCode,period,value,note,source")}.");
        foreach (var required in new[] { "indicatorcode", "period", "value" })
            if (!header.Contains(required)) return ([], $"The header must name the column {required}.");
        if (header.Distinct().Count() != header.Length) return ([], "A column is named twice.");

        var rows = new List<Row>();
        for (var i = 1; i < records.Count; i++)
        {
            var fields = records[i];
            if (fields.Count == 1 && fields[0].Length == 0) continue; // a blank line
            if (fields.Count != header.Length)
            {
                rows.Add(new(rows.Count + 1, null, $"{fields.Count} fields where the header has {header.Length}."));
                continue;
            }
            string? Field(string name) => Array.IndexOf(header, name) is var at and >= 0 && fields[at].Length > 0 ? fields[at] : null;
            double? value = null;
            if (Field("value") is { } raw)
            {
                if (!double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !double.IsFinite(parsed))
                {
                    rows.Add(new(rows.Count + 1, null, $"value '{raw}' is not a finite number (use a dot for decimals)."));
                    continue;
                }
                value = parsed;
            }
            rows.Add(new(rows.Count + 1, new SubmissionRequest(Field("indicatorcode")?.Trim(), Field("period")?.Trim(), value, Field("note"), Field("source")), null));
        }
        return (rows, null);
    }

    static IEnumerable<List<string>> Records(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            any = true;
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                fields.Add(field.ToString());
                field.Clear();
                yield return fields;
                fields = new List<string>();
                any = false;
            }
            else field.Append(c);
        }
        if (quoted) throw new FormatException("A quoted field is never closed.");
        if (any)
        {
            fields.Add(field.ToString());
            yield return fields;
        }
    }
}
