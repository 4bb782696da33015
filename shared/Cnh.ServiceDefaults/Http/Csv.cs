using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cnh.ServiceDefaults;

/// <summary>
/// RFC 4180 CSV with invariant numbers (a dot, no grouping), ISO 8601 instants and lower-case booleans, UTF-8 with a
/// BOM so spreadsheets read Vietnamese right.
/// </summary>
public sealed class Csv
{
    readonly StringBuilder _sb = new();

    public Csv(params string[] header) => Row(header);

    public Csv Row(params object?[] cells)
    {
        _sb.AppendJoin(',', cells.Select(Cell)).Append("\r\n");
        return this;
    }

    static string Cell(object? value)
    {
        var text = value switch
        {
            null => "",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            DateTimeOffset t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
    }

    public byte[] ToBytes() => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(_sb.ToString())];

    public IResult ToResult(string fileName) => Results.File(ToBytes(), "text/csv; charset=utf-8", fileName);
}
