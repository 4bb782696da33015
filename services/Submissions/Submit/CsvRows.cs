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

    /// <summary>
    /// The rows, read one record at a time and no further than <paramref name="maxRows"/> + 1 lines after the header
    /// (blank lines count): <c>TooMany</c> says the limit was passed, so a huge body costs no more memory than the limit.
    /// </summary>
    public static (List<Row> Rows, string? HeaderError, bool TooMany) Parse(string text, int maxRows = int.MaxValue)
    {
        var rows = new List<Row>();
        string[]? header = null;
        var lines = 0;
        try
        {
            foreach (var fields in Records(text))
            {
                if (header is null)
                {
                    header = fields.Select(h => h.Trim().Replace("_", "").ToLowerInvariant()).ToArray();
                    if (HeaderError(header) is { } error)
                        return ([], error, false);
                    continue;
                }
                if (++lines > maxRows)
                    return (rows, null, true);
                if (fields.Count == 1 && fields[0].Length == 0)
                    continue; // a blank line
                rows.Add(ToRow(rows.Count + 1, header, fields));
            }
        }
        catch (FormatException ex)
        {
            return ([], ex.Message, false);
        }
        return header is null ? ([], "The CSV has no header row.", false) : (rows, null, false);
    }

    static string? HeaderError(string[] header)
    {
        var unknown = header.Where(h => !Columns.Contains(h)).ToList();
        if (unknown.Count > 0)
            return $"Unknown column(s) {string.Join(", ", unknown)}; use {string.Join(",", "indicatorCode,period,value,note,source")}.";
        foreach (var required in new[] { "indicatorcode", "period", "value" })
            if (!header.Contains(required))
                return $"The header must name the column {required}.";
        return header.Distinct().Count() != header.Length ? "A column is named twice." : null;
    }

    static Row ToRow(int number, string[] header, List<string> fields)
    {
        if (fields.Count != header.Length)
            return new(number, null, $"{fields.Count} fields where the header has {header.Length}.");
        string? Field(string name) => Array.IndexOf(header, name) is var at and >= 0 && fields[at].Length > 0 ? fields[at] : null;
        double? value = null;
        if (Field("value") is { } raw)
        {
            if (!double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !double.IsFinite(parsed))
                return new(number, null, $"value '{raw}' is not a finite number (use a dot for decimals).");
            value = parsed;
        }
        return new(
            number,
            new SubmissionRequest(Field("indicatorcode")?.Trim(), Field("period")?.Trim(), value, Field("note"), Field("source")),
            null
        );
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
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                    quoted = false;
                else
                    field.Append(c);
            }
            else if (c == '"' && field.Length == 0)
                quoted = true;
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    i++;
                fields.Add(field.ToString());
                field.Clear();
                yield return fields;
                fields = new List<string>();
                any = false;
            }
            else
                field.Append(c);
        }
        if (quoted)
            throw new FormatException("A quoted field is never closed.");
        if (any)
        {
            fields.Add(field.ToString());
            yield return fields;
        }
    }
}
