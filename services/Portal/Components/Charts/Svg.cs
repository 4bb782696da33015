using System.Globalization;
using System.Text;

namespace Cnh.Portal.Components.Charts;

/// <summary>Small helpers for charts written as SVG text on the server: no script, no chart library, same bytes for the page and the
/// download.</summary>
static class Svg
{
    public static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>XML-escapes text; Vietnamese stays as characters.</summary>
    public static string E(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    public static void Label(StringBuilder sb, double x, double y, string text, string anchor = "start", string cls = "", int size = 12) =>
        sb.Append(
            $"""<text x="{N(x)}" y="{N(y)}" text-anchor="{anchor}" font-size="{size}" """
                + $"""fill="#1f2328"{(cls == "" ? "" : $" class=\"{cls}\"")}>{E(text)}</text>"""
        );

    /// <summary>Round axis steps (1, 2, 5 × 10^k) covering [min, max] in about <paramref name="count"/> ticks.</summary>
    public static (double Min, double Max, double Step) NiceScale(double min, double max, int count = 5)
    {
        if (max <= min)
        {
            max = min + Math.Max(1, Math.Abs(min) * 0.1);
        }
        var raw = (max - min) / count;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        return (Math.Floor(min / step) * step, Math.Ceiling(max / step) * step, step);
    }
}
