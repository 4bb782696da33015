using System.Text;
using Cnh.Portal.Api;
using Cnh.Portal.Text;
using static Cnh.Portal.Components.Charts.Svg;

namespace Cnh.Portal.Components.Charts;

/// <summary>One row of an indicator's chart and table: reported value, target, required path and projection at a point in time.</summary>
public sealed record ChartRow(string Period, double Year, double? Reported, double? Target, double? RequiredPath, double? Projection);

/// <summary>
/// An indicator's line chart: every reported value; each target year as a labelled vertical line with its target marked;
/// the required path from the base to the chosen target (compound growth, as the scoring method assumes); the projection
/// to the last target year at the observed growth rate.
/// </summary>
public sealed class IndicatorChart
{
    const double Width = 760,
        Height = 380,
        Left = 72,
        Right = 24,
        Top = 44,
        Bottom = 56;

    public required CatalogueIndicator Indicator { get; init; }
    public required IReadOnlyList<Observation> Observations { get; init; }
    public required ProgressResult? Result { get; init; }
    public required int TargetYear { get; init; }

    public CatalogueTarget? SelectedTarget =>
        Indicator.Targets.FirstOrDefault(t => t.Year == TargetYear) ?? Indicator.Targets.LastOrDefault();

    /// <summary>An indicator's chart on its values, against the requested target year, else the one its status was measured on.</summary>
    public static IndicatorChart For(CatalogueIndicator indicator, IndicatorScore? score, IndicatorDetail? detail, int? targetYear) =>
        new()
        {
            Indicator = indicator,
            Observations = detail?.Observations ?? [],
            Result = score?.Result,
            TargetYear = targetYear ?? score?.Result?.TargetYear ?? indicator.Targets.Select(t => t.Year).DefaultIfEmpty(2030).Max(),
        };

    public static double TargetValue(CatalogueTarget t) => t.Min ?? t.Max ?? 0;

    /// <summary>The value to reach for the indicator's direction: the lower end of a range going up, the upper end going down.</summary>
    public double Goal(CatalogueTarget t) =>
        Indicator.Direction == "decrease" && t.Op != "about" ? t.Max ?? t.Min ?? 0 : t.Min ?? t.Max ?? 0;

    (double Year, double Value)? Base =>
        Result is { BaseYear: { } y, BaseValue: { } v } ? (y, v)
        : Indicator.Baseline is { Year: { } by, Value: { } bv } ? (by, bv)
        : Observations.Count > 0 ? (YearOf(Observations[0].Period), Observations[0].Value)
        : null;

    public static double YearOf(string period) =>
        period.Length switch
        {
            6 when period[4] == 'Q' => int.Parse(period[..4]) - 1 + int.Parse(period[5..]) / 4.0,
            6 => int.Parse(period[..4]) - 1 + int.Parse(period[4..]) / 12.0,
            _ => int.Parse(period[..4]),
        };

    /// <summary>The numbers behind the chart, a row per reported period and per year to the last target year.</summary>
    public IReadOnlyList<ChartRow> Rows()
    {
        var target = SelectedTarget;
        var lastYear = Math.Max(Indicator.Targets.Select(t => t.Year).DefaultIfEmpty(2030).Max(), 2030);
        var reported = Observations.ToDictionary(o => o.Period, o => o.Value);
        var periods = Observations.Select(o => (o.Period, Year: YearOf(o.Period))).ToList();
        var firstYear = (int)Math.Floor(Math.Min(Base?.Year ?? lastYear, periods.Count > 0 ? periods.Min(p => p.Year) : lastYear));
        for (var y = firstYear; y <= lastYear; y++)
            if (!periods.Any(p => Math.Abs(p.Year - y) < 1e-9))
                periods.Add((y.ToString(), y));
        return periods
            .OrderBy(p => p.Year)
            .Select(p => new ChartRow(
                p.Period,
                p.Year,
                reported.TryGetValue(p.Period, out var v) ? v : null,
                Indicator.Targets.FirstOrDefault(t => t.Year == p.Year) is { } t ? Goal(t) : null,
                RequiredAt(p.Year, target),
                ProjectionAt(p.Year)
            ))
            .ToList();
    }

    double? RequiredAt(double year, CatalogueTarget? target)
    {
        if (Base is not { } b || target is null || year < b.Year || year > target.Year || target.Year <= b.Year)
            return null;
        var goal = Goal(target);
        if (b.Value <= 0 || goal <= 0)
            return b.Value + (goal - b.Value) * (year - b.Year) / (target.Year - b.Year);
        return b.Value * Math.Pow(goal / b.Value, (year - b.Year) / (target.Year - b.Year));
    }

    double? ProjectionAt(double year)
    {
        if (Result is not { CurrentYear: { } t, CurrentValue: { } x, ObservedGrowth: { } g } || year < t)
            return null;
        return x * Math.Pow(1 + g, year - t);
    }

    public ChartSummary Summary(Language lang, string statusText)
    {
        var target = SelectedTarget;
        var targetText = target is null ? "–" : $"{TargetText(target, lang)} ({target.Year})";
        return Observations.Count == 0
            ? new ChartSummary(lang.Name(Indicator.NameVi, Indicator.NameEn), 0, "", "", "", "", targetText, statusText)
            : new ChartSummary(
                lang.Name(Indicator.NameVi, Indicator.NameEn),
                Observations.Count,
                $"{lang.Number(Observations[0].Value)} {Indicator.Unit}",
                Observations[0].Period,
                $"{lang.Number(Observations[^1].Value)} {Indicator.Unit}",
                Observations[^1].Period,
                targetText,
                statusText
            );
    }

    public static string TargetText(CatalogueTarget t, Language lang) =>
        t.Op switch
        {
            "range" => $"{lang.Number(t.Min)}–{lang.Number(t.Max)}",
            "about" => $"≈ {lang.Number(t.Min ?? t.Max)}",
            ">=" => $"≥ {lang.Number(t.Min)}",
            ">" => $"> {lang.Number(t.Min)}",
            "<=" => $"≤ {lang.Number(t.Max)}",
            "<" => $"< {lang.Number(t.Max)}",
            _ => lang.Number(t.Min ?? t.Max),
        };

    /// <summary>The chart as a standalone SVG document (title and description for screen readers, legend included).</summary>
    public string Render(Language lang, string statusText, string id = "chart")
    {
        var text = lang.Text;
        var rows = Rows();
        var values = rows.SelectMany(r => new[] { r.Reported, r.Target, r.RequiredPath, r.Projection })
            .Where(v => v is not null)
            .Select(v => v!.Value)
            .Concat(Indicator.Targets.SelectMany(t => new[] { t.Min, t.Max }).Where(v => v is not null).Select(v => v!.Value))
            .ToList();
        if (Base is { } b0)
            values.Add(b0.Value);
        var (yMin, yMax, yStep) = NiceScale(values.Count > 0 ? Math.Min(0, values.Min()) : 0, values.Count > 0 ? values.Max() : 1);
        var x0 = rows.Count > 0 ? Math.Floor(rows.Min(r => r.Year)) : 2020;
        var x1 = rows.Count > 0 ? Math.Ceiling(rows.Max(r => r.Year)) : 2030;
        if (x1 <= x0)
            x1 = x0 + 1;
        double X(double year) => Left + (year - x0) / (x1 - x0) * (Width - Left - Right);
        double Y(double v) => Top + (yMax - v) / (yMax - yMin) * (Height - Top - Bottom);

        var title = lang.Name(Indicator.NameVi, Indicator.NameEn);
        var sb = new StringBuilder();
        sb.Append(
            $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {N(Width)} {N(Height)}" width="100%" role="img" """
                + $"""aria-labelledby="{id}-title {id}-desc" lang="{lang.Code}" """
                + $"""font-family="Noto Sans, DejaVu Sans, Arial, sans-serif">"""
        );
        sb.Append($"""<title id="{id}-title">{E($"{Indicator.Code} · {title} ({Indicator.Unit})")}</title>""");
        sb.Append($"""<desc id="{id}-desc">{E(text.ChartSentence(Summary(lang, statusText)))}</desc>""");
        sb.Append($"""<rect x="0" y="0" width="{N(Width)}" height="{N(Height)}" fill="#ffffff"/>""");
        // Grid and axes.
        for (var v = yMin; v <= yMax + yStep / 2; v += yStep)
        {
            sb.Append(
                $"""<line x1="{N(Left)}" x2="{N(Width - Right)}" y1="{N(Y(v))}" y2="{N(Y(v))}" stroke="#d0d7de" """
                    + $"""stroke-width="1"/>"""
            );
            Label(sb, Left - 8, Y(v) + 4, lang.Number(v), "end", size: 11);
        }
        for (var year = x0; year <= x1; year++)
            Label(sb, X(year), Height - Bottom + 18, ((int)year).ToString(), "middle", size: 11);
        sb.Append(
            $"""<line x1="{N(Left)}" x2="{N(Width - Right)}" y1="{N(Height - Bottom)}" y2="{N(Height - Bottom)}" """
                + $"""stroke="#57606a"/>"""
        );
        Label(sb, 8, 16, Indicator.Unit, size: 11);

        // Target years: a labelled vertical line and the target marked on it.
        foreach (var t in Indicator.Targets)
        {
            var selected = t.Year == SelectedTarget?.Year;
            sb.Append(
                $"""<line x1="{N(X(t.Year))}" x2="{N(X(t.Year))}" y1="{N(Top - 8)}" y2="{N(Height - Bottom)}" """
                    + $"""stroke="#1a7f37" stroke-width="{(selected ? 2 : 1)}" stroke-dasharray="6 4" class="target-year"/>"""
            );
            Label(
                sb,
                X(t.Year),
                Top - 14,
                $"{text.TargetFor} {t.Year}: {TargetText(t, lang)}",
                t.Year == x1 ? "end" : "middle",
                "target-label",
                11
            );
            if (t.Min is { } min && t.Max is { } max && t.Op == "range")
                sb.Append(
                    $"""<line x1="{N(X(t.Year))}" x2="{N(X(t.Year))}" y1="{N(Y(max))}" y2="{N(Y(min))}" stroke="#1a7f37" """
                        + $"""stroke-width="6" stroke-linecap="round"/>"""
                );
            var goal = Goal(t);
            sb.Append($"""<path d="M {N(X(t.Year))} {N(Y(goal) - 7)} l 7 7 l -7 7 l -7 -7 z" fill="#1a7f37"/>""");
        }

        // Required path and projection, then the reported values on top.
        Polyline(sb, rows.Where(r => r.RequiredPath is not null).Select(r => (X(r.Year), Y(r.RequiredPath!.Value))), "#57606a", "8 5", 2);
        Polyline(sb, rows.Where(r => r.Projection is not null).Select(r => (X(r.Year), Y(r.Projection!.Value))), "#9a6700", "2 4", 2.5);
        var points = rows.Where(r => r.Reported is not null).Select(r => (X(r.Year), Y(r.Reported!.Value))).ToList();
        Polyline(sb, points, "#0550ae", null, 3);
        foreach (var (px, py) in points)
            sb.Append($"""<circle cx="{N(px)}" cy="{N(py)}" r="4.5" fill="#0550ae" stroke="#ffffff" stroke-width="1.5"/>""");

        // Legend: line styles with words, never colour alone.
        var ly = Height - 16;
        LegendItem(sb, Left, ly, "#0550ae", null, text.Reported);
        LegendItem(sb, Left + 170, ly, "#57606a", "8 5", $"{text.RequiredPath} ({SelectedTarget?.Year})");
        LegendItem(sb, Left + 370, ly, "#9a6700", "2 4", text.Projection);
        sb.Append("</svg>");
        return sb.ToString();
    }

    static void Polyline(StringBuilder sb, IEnumerable<(double X, double Y)> points, string colour, string? dash, double width)
    {
        var list = points.ToList();
        if (list.Count < 2)
            return;
        sb.Append(
            $"""<polyline fill="none" stroke="{colour}" """
                + $"""stroke-width="{N(width)}"{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")} """
                + $"""points="{string.Join(' ', list.Select(p => $"{N(p.X)},{N(p.Y)}"))}"/>"""
        );
    }

    static void LegendItem(StringBuilder sb, double x, double y, string colour, string? dash, string label)
    {
        sb.Append(
            $"""<line x1="{N(x)}" x2="{N(x + 28)}" y1="{N(y - 4)}" y2="{N(y - 4)}" stroke="{colour}" """
                + $"""stroke-width="3"{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")}/>"""
        );
        Label(sb, x + 34, y, label, size: 11);
    }
}
