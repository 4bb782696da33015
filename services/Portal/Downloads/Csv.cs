using System.Globalization;
using System.Text;

namespace Cnh.Portal.Downloads;

/// <summary>RFC 4180 CSV with invariant numbers (a dot, no grouping), UTF-8 with a BOM so spreadsheets read Vietnamese right.</summary>
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
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
    }

    public IResult ToResult(string fileName) =>
        Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(_sb.ToString())).ToArray(), "text/csv; charset=utf-8", fileName);
}
