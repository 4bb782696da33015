using Cnh.Portal.Api;
using Cnh.Portal.Components.Charts;
using Cnh.Portal.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Cnh.Portal.Reports;

/// <summary>
/// The briefing leadership reads before a meeting, as an A4 PDF: a cover (date, composite index, count per status), a page
/// per group (its indicators with status, latest value and 2030 target, and a bar chart of their scores), and a page per
/// indicator that is behind (its chart with the targets, the "how computed" numbers, its latest alerts).
/// </summary>
public sealed class Briefing(PortalSnapshot snapshot, Language lang, IReadOnlyDictionary<string, IndicatorDetail?> details)
{
    const double Margin = 50,
        Width = 595 - 2 * Margin;
    readonly UiText _t = lang.Text;
    readonly XFont _title = new(PdfFonts.Family, 20, XFontStyleEx.Bold);
    readonly XFont _heading = new(PdfFonts.Family, 14, XFontStyleEx.Bold);
    readonly XFont _body = new(PdfFonts.Family, 10, XFontStyleEx.Regular);
    readonly XFont _bold = new(PdfFonts.Family, 10, XFontStyleEx.Bold);
    readonly XFont _small = new(PdfFonts.Family, 8, XFontStyleEx.Regular);
    readonly XFont _big = new(PdfFonts.Family, 36, XFontStyleEx.Bold);

    public static IReadOnlyList<CatalogueIndicator> BehindIndicators(PortalSnapshot s) =>
        s.Indicators.Where(i => Statuses.Behind.Contains(s.StatusOf(i.Code))).ToList();

    public byte[] Render()
    {
        var document = new PdfDocument();
        document.Info.Title = _t.BriefingTitle;
        Cover(document);
        foreach (var group in snapshot.Groups)
            GroupPage(document, group);
        foreach (var indicator in BehindIndicators(snapshot))
            IndicatorPage(document, indicator);
        using var stream = new MemoryStream();
        document.Save(stream);
        return stream.ToArray();
    }

    (XGraphics Gfx, double Y) NewPage(PdfDocument document)
    {
        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        var gfx = XGraphics.FromPdfPage(page);
        gfx.DrawString(
            $"{_t.BriefingTitle} · {lang.Date(snapshot.AsOf)} · {document.PageCount}",
            _small,
            XBrushes.Gray,
            new XPoint(Margin, 842 - 25)
        );
        return (gfx, Margin);
    }

    void Cover(PdfDocument document)
    {
        var (gfx, y) = NewPage(document);
        y = Wrap(gfx, _t.BriefingTitle, _title, y + 40, Width);
        y = Wrap(gfx, _t.SiteSubtitle, _body, y + 4, Width);
        y = Wrap(gfx, $"{_t.DataAsOf} {lang.DateTime(snapshot.AsOf)}", _body, y + 4, Width);
        gfx.DrawString(_t.CompositeIndex, _heading, XBrushes.Black, new XPoint(Margin, y + 50));
        gfx.DrawString(lang.Number(snapshot.Scores?.CompositeIndex), _big, XBrushes.Black, new XPoint(Margin, y + 100));
        gfx.DrawString(_t.CompositeScale, _body, XBrushes.Gray, new XPoint(Margin + 130, y + 100));
        y += 140;
        gfx.DrawString(_t.IndicatorsByStatus, _heading, XBrushes.Black, new XPoint(Margin, y));
        foreach (var status in Statuses.Order)
        {
            y += 18;
            gfx.DrawString(_t.StatusName(status), _body, XBrushes.Black, new XPoint(Margin, y));
            gfx.DrawString(
                snapshot.Indicators.Count(i => snapshot.StatusOf(i.Code) == status).ToString(),
                _bold,
                XBrushes.Black,
                new XPoint(Margin + 200, y)
            );
        }
    }

    void GroupPage(PdfDocument document, CatalogueGroup group)
    {
        var (gfx, y) = NewPage(document);
        var members = snapshot.Indicators.Where(i => i.Group == group.Code).ToList();
        y = Wrap(gfx, lang.Name(group.NameVi, group.NameEn), _heading, y, Width);
        if (snapshot.Scores?.Groups.FirstOrDefault(g => g.Group == group.Code) is { } score)
            y = Wrap(gfx, $"{_t.Score} {lang.Number(score.Score)} · {_t.Coverage} {score.Scored}/{score.Total}", _body, y + 2, Width);
        y += 10;
        double[] columns = [0, 45, 255, 350, 430, Width];
        string[] header = [_t.Code, _t.Indicator, _t.Status, _t.LatestValue, $"{_t.TargetFor} 2030"];
        var headerBottom = y;
        for (var c = 0; c < header.Length; c++)
            headerBottom = Math.Max(
                headerBottom,
                Wrap(gfx, header[c], _bold, y - _bold.Size, columns[c + 1] - columns[c] - 6, Margin + columns[c])
            );
        y = headerBottom + 2;
        foreach (var i in members)
        {
            gfx.DrawLine(XPens.LightGray, Margin, y, Margin + Width, y);
            var top = y + 12;
            var result = snapshot.ScoreOf(i.Code)?.Result;
            gfx.DrawString(i.Code, _body, XBrushes.Black, new XPoint(Margin, top));
            var bottom = Wrap(
                gfx,
                lang.Name(i.NameVi, i.NameEn),
                _body,
                top - _body.Size,
                columns[2] - columns[1] - 8,
                Margin + columns[1]
            );
            bottom = Math.Max(
                bottom,
                Wrap(
                    gfx,
                    _t.StatusName(snapshot.StatusOf(i.Code)),
                    _body,
                    top - _body.Size,
                    columns[3] - columns[2] - 6,
                    Margin + columns[2]
                )
            );
            gfx.DrawString(
                result?.CurrentValue is { } v ? $"{lang.Number(v)} ({result.CurrentPeriod})" : "–",
                _body,
                XBrushes.Black,
                new XPoint(Margin + columns[3], top)
            );
            gfx.DrawString(
                Glyphs(i.Targets.FirstOrDefault(t => t.Year == 2030) is { } t ? IndicatorChart.TargetText(t, lang) : "–"),
                _body,
                XBrushes.Black,
                new XPoint(Margin + columns[4], top)
            );
            y = Math.Max(bottom, top) + 4;
        }
        // A bar per indicator with a score, from the zero line of the method's −5…5 scale.
        y += 30;
        gfx.DrawString(_t.Score, _bold, XBrushes.Black, new XPoint(Margin, y));
        y += 10;
        var zero = Margin + 60 + (Width - 60) / 2;
        var unit = (Width - 60) / 10;
        gfx.DrawLine(XPens.Gray, zero, y, zero, y + members.Count * 16);
        foreach (var i in members)
        {
            gfx.DrawString(i.Code, _small, XBrushes.Black, new XPoint(Margin, y + 10));
            if (snapshot.ScoreOf(i.Code)?.Score is { } s)
            {
                var (x, w) = s >= 0 ? (zero, s * unit) : (zero + s * unit, -s * unit);
                gfx.DrawRectangle(s >= 0 ? XBrushes.SteelBlue : XBrushes.Firebrick, x, y + 2, Math.Max(1, w), 10);
                gfx.DrawString(lang.Number(s), _small, XBrushes.Black, new XPoint(s >= 0 ? x + w + 4 : x - 24, y + 10));
            }
            y += 16;
        }
    }

    void IndicatorPage(PdfDocument document, CatalogueIndicator i)
    {
        var (gfx, y) = NewPage(document);
        var score = snapshot.ScoreOf(i.Code);
        y = Wrap(gfx, $"{i.Code} · {lang.Name(i.NameVi, i.NameEn)}", _heading, y, Width);
        y = Wrap(gfx, $"{_t.Status}: {_t.StatusName(score?.Status ?? "NotAvailable")} · {i.Unit}", _body, y + 2, Width);
        var detail = details.GetValueOrDefault(i.Code);
        var chart = IndicatorChart.For(i, score, detail, targetYear: null);
        y = Chart(gfx, chart, y + 12);
        if (score?.Result is { } r)
        {
            y = Wrap(gfx, _t.HowComputed, _heading, y + 20, Width);
            foreach (
                var (label, value) in new[]
                {
                    (_t.BaseYear, r.BaseYear?.ToString("0") ?? "–"),
                    (_t.BaseValue, lang.Number(r.BaseValue)),
                    (_t.CurrentValue, $"{lang.Number(r.CurrentValue)} ({r.CurrentPeriod})"),
                    (_t.ActiveTarget, $"{lang.Number(r.TargetValue)} ({r.TargetYear})"),
                    (_t.ObservedGrowth, lang.Percent(r.ObservedGrowth, 2)),
                    (_t.RequiredGrowth, lang.Percent(r.RequiredGrowth, 2)),
                    (_t.ProgressValue, lang.Number(r.ProgressValue, 3)),
                }
            )
            {
                y += 14;
                gfx.DrawString(label, _body, XBrushes.Black, new XPoint(Margin, y));
                gfx.DrawString(value, _bold, XBrushes.Black, new XPoint(Margin + 220, y));
            }
        }
        var alerts = snapshot.Alerts.Where(a => a.IndicatorCode == i.Code).OrderByDescending(a => a.CreatedAt).Take(5).ToList();
        y = Wrap(gfx, _t.Alerts, _heading, y + 24, Width);
        if (alerts.Count == 0)
            Wrap(gfx, _t.NoAlerts, _body, y + 4, Width);
        foreach (var a in alerts)
            y = Wrap(
                gfx,
                $"{lang.DateTime(a.CreatedAt)} · {_t.AlertKindName(a.Kind)}"
                    + (a.PreviousStatus is null ? "" : $" · {_t.StatusName(a.PreviousStatus)} → {_t.StatusName(a.NewStatus)}"),
                _body,
                y + 4,
                Width
            );
    }

    /// <summary>The indicator's chart drawn with PDF lines: values, target years and their targets, the required path, the
    /// projection.</summary>
    double Chart(XGraphics gfx, IndicatorChart chart, double top)
    {
        const double height = 220;
        var rows = chart.Rows();
        var values = rows.SelectMany(r => new[] { r.Reported, r.Target, r.RequiredPath, r.Projection }).OfType<double>().ToList();
        if (values.Count == 0)
            return top;
        var (min, max, step) = Svg.NiceScale(Math.Min(0, values.Min()), values.Max());
        var (x0, x1) = (rows.Min(r => r.Year), rows.Max(r => r.Year));
        double X(double year) => Margin + 40 + (year - x0) / Math.Max(1, x1 - x0) * (Width - 50);
        double Y(double v) => top + height - (v - min) / (max - min) * height;
        for (var v = min; v <= max + step / 2; v += step)
        {
            gfx.DrawLine(XPens.LightGray, Margin + 40, Y(v), Margin + Width, Y(v));
            gfx.DrawString(lang.Number(v), _small, XBrushes.Gray, new XPoint(Margin, Y(v) + 3));
        }
        for (var year = Math.Ceiling(x0); year <= x1; year++)
            gfx.DrawString(((int)year).ToString(), _small, XBrushes.Gray, new XPoint(X(year) - 10, top + height + 12));
        foreach (var t in chart.Indicator.Targets)
        {
            var pen = new XPen(XColors.SeaGreen, 1) { DashStyle = XDashStyle.Dash };
            gfx.DrawLine(pen, X(t.Year), top, X(t.Year), top + height);
            gfx.DrawString(
                Glyphs($"{_t.TargetFor} {t.Year}: {IndicatorChart.TargetText(t, lang)}"),
                _small,
                XBrushes.SeaGreen,
                new XPoint(X(t.Year) - 60, top - 4)
            );
            gfx.DrawEllipse(XBrushes.SeaGreen, X(t.Year) - 3, Y(chart.Goal(t)) - 3, 6, 6);
        }
        Line(
            gfx,
            rows.Where(r => r.RequiredPath is not null).Select(r => new XPoint(X(r.Year), Y(r.RequiredPath!.Value))),
            new XPen(XColors.Gray, 1.5) { DashStyle = XDashStyle.Dash }
        );
        Line(
            gfx,
            rows.Where(r => r.Projection is not null).Select(r => new XPoint(X(r.Year), Y(r.Projection!.Value))),
            new XPen(XColors.DarkGoldenrod, 1.5) { DashStyle = XDashStyle.Dot }
        );
        var reported = rows.Where(r => r.Reported is not null).Select(r => new XPoint(X(r.Year), Y(r.Reported!.Value))).ToList();
        Line(gfx, reported, new XPen(XColors.SteelBlue, 2.5));
        foreach (var p in reported)
            gfx.DrawEllipse(XBrushes.SteelBlue, p.X - 3, p.Y - 3, 6, 6);
        var legend = top + height + 28;
        gfx.DrawString(
            $"— {_t.Reported}   - - {_t.RequiredPath}   ··· {_t.Projection}",
            _small,
            XBrushes.Black,
            new XPoint(Margin + 40, legend)
        );
        return legend;
    }

    /// <summary>Noto Sans has no ≥, ≤ or ≈: the PDF writes them the way a typewriter would.</summary>
    static string Glyphs(string text) => text.Replace("≥", ">=").Replace("≤", "<=").Replace("≈", "~");

    static void Line(XGraphics gfx, IEnumerable<XPoint> points, XPen pen)
    {
        var list = points.ToArray();
        if (list.Length >= 2)
            gfx.DrawLines(pen, list);
    }

    /// <summary>Draws text wrapped at word boundaries within the width; returns the baseline below the last line.</summary>
    double Wrap(XGraphics gfx, string text, XFont font, double y, double width, double x = Margin)
    {
        var lineHeight = font.Size * 1.35;
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : $"{line} {word}";
            if (line.Length > 0 && gfx.MeasureString(candidate, font).Width > width)
            {
                gfx.DrawString(line, font, XBrushes.Black, new XPoint(x, y + font.Size));
                y += lineHeight;
                line = word;
            }
            else
                line = candidate;
        }
        if (line.Length > 0)
            gfx.DrawString(line, font, XBrushes.Black, new XPoint(x, y + font.Size));
        return y + lineHeight;
    }
}
