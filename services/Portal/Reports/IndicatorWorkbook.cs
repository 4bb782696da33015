using Cnh.Portal.Api;
using Cnh.Portal.Components.Charts;
using Cnh.Portal.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Cnh.Portal.Reports;

/// <summary>
/// The periodic table of the indicators as an Excel workbook (OpenXml SDK): a summary sheet (composite index, count per
/// status, data as of), then one sheet per group — group, code, name, unit, baseline, 2025 and 2030 targets, latest value
/// and period, attainment, status in words, responsible department. Numbers are numeric cells with number formats, the
/// header row is frozen, columns are as wide as their text.
/// </summary>
public static class IndicatorWorkbook
{
    // Cell styles (indices into CellFormats below).
    const uint Text = 0,
        Header = 1,
        Number = 2,
        Percent = 3,
        Title = 4;

    public static byte[] Build(PortalSnapshot snapshot, Language lang)
    {
        var t = lang.Text;
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            AddStyles(workbook);

            var counts = Statuses
                .Order.Select(s => (Status: s, Count: snapshot.Indicators.Count(i => snapshot.StatusOf(i.Code) == s)))
                .ToList();
            var summary = new List<object?[]>
            {
                new object?[] { t.SiteTitle },
                new object?[] { t.DataAsOf, lang.DateTime(snapshot.AsOf) },
                new object?[] { t.CompositeIndex, snapshot.Scores?.CompositeIndex },
                new object?[] { },
                new object?[] { t.Status, t.AllIndicators },
            };
            summary.AddRange(counts.Select(c => new object?[] { t.StatusName(c.Status), (double)c.Count }));
            summary.Add([]);
            summary.Add([t.Group, t.Score, t.Coverage]);
            summary.AddRange(
                GroupChart
                    .InCatalogueOrder(snapshot)
                    .Select(g => new object?[] { GroupChart.Name(g, snapshot.Groups, lang), g.Score, new Pct(g.Coverage) })
            );
            AddSheet(workbook, t.SummarySheet, summary, headerRows: [], titleRow: true);

            string[] header =
            [
                t.Group,
                t.Code,
                t.Indicator,
                t.Unit,
                t.BaseValue,
                $"{t.TargetFor} 2025",
                $"{t.TargetFor} 2030",
                t.LatestValue,
                t.Period,
                t.Attainment,
                t.Status,
                t.Responsible,
            ];
            foreach (var group in snapshot.Groups)
            {
                var rows = new List<object?[]> { header };
                foreach (var i in snapshot.Indicators.Where(i => i.Group == group.Code))
                {
                    var result = snapshot.ScoreOf(i.Code)?.Result;
                    string? Target(int year) =>
                        i.Targets.FirstOrDefault(x => x.Year == year) is { } target ? IndicatorChart.TargetText(target, lang) : null;
                    rows.Add([
                        group.Code,
                        i.Code,
                        lang.Name(i.NameVi, i.NameEn),
                        i.Unit,
                        i.Baseline?.Value,
                        Target(2025),
                        Target(2030),
                        result?.CurrentValue,
                        result?.CurrentPeriod,
                        result?.AttainmentPercent is { } a ? new Pct(a / 100) : null,
                        t.StatusName(snapshot.StatusOf(i.Code)),
                        snapshot.Department(i.ResponsibleDepartment) is { } d ? lang.Name(d.NameVi, d.NameEn) : i.ResponsibleDepartment,
                    ]);
                }
                AddSheet(
                    workbook,
                    SheetName($"{group.Code} {lang.Name(group.NameVi, group.NameEn)}"),
                    rows,
                    headerRows: [0],
                    titleRow: false
                );
            }
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    /// <summary>A share shown as a percentage.</summary>
    sealed record Pct(double Value);

    /// <summary>Excel's limits: 31 characters, none of []:*?/\.</summary>
    static string SheetName(string name)
    {
        var clean = new string(name.Where(c => "[]:*?/\\".IndexOf(c) < 0).ToArray());
        return clean.Length <= 31 ? clean : clean[..31];
    }

    static void AddSheet(WorkbookPart workbook, string name, List<object?[]> rows, int[] headerRows, bool titleRow)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        for (var r = 0; r < rows.Count; r++)
        {
            var row = new Row { RowIndex = (uint)(r + 1) };
            for (var c = 0; c < rows[r].Length; c++)
            {
                var style =
                    headerRows.Contains(r) ? Header
                    : titleRow && r == 0 ? Title
                    : Text;
                row.Append(CellOf(rows[r][c], $"{Column(c)}{r + 1}", style));
            }
            data.Append(row);
        }
        var worksheet = new Worksheet();
        if (headerRows.Length > 0)
            worksheet.Append(
                new SheetViews(
                    new SheetView(
                        new Pane
                        {
                            VerticalSplit = 1,
                            TopLeftCell = "A2",
                            ActivePane = PaneValues.BottomLeft,
                            State = PaneStateValues.Frozen,
                        }
                    )
                    {
                        TabSelected = false,
                        WorkbookViewId = 0,
                    }
                )
            );
        var widths = Enumerable
            .Range(0, rows.Max(r => r.Length))
            .Select(c =>
                Math.Clamp(
                    rows.Where(r => c < r.Length && !(titleRow && r == rows[0])).Select(r => Display(r[c]).Length).DefaultIfEmpty(8).Max()
                        + 2,
                    8,
                    60
                )
            )
            .ToList();
        worksheet.Append(
            new Columns(
                widths.Select(
                    (w, c) =>
                        new Column
                        {
                            Min = (uint)(c + 1),
                            Max = (uint)(c + 1),
                            Width = w,
                            CustomWidth = true,
                        }
                )
            )
        );
        worksheet.Append(data);
        part.Worksheet = worksheet;
        var sheets = workbook.Workbook.Sheets!;
        sheets.Append(
            new Sheet
            {
                Id = workbook.GetIdOfPart(part),
                SheetId = (uint)(sheets.Count() + 1),
                Name = name,
            }
        );
    }

    static string Display(object? value) =>
        value switch
        {
            null => "",
            Pct p => $"{p.Value * 100:0}%",
            double d => d.ToString("#,##0.##"),
            _ => value.ToString() ?? "",
        };

    static Cell CellOf(object? value, string reference, uint style) =>
        value switch
        {
            double d => new Cell
            {
                CellReference = reference,
                CellValue = new CellValue(d),
                DataType = CellValues.Number,
                StyleIndex = Number,
            },
            Pct p => new Cell
            {
                CellReference = reference,
                CellValue = new CellValue(p.Value),
                DataType = CellValues.Number,
                StyleIndex = Percent,
            },
            null => new Cell { CellReference = reference, StyleIndex = style },
            _ => new Cell
            {
                CellReference = reference,
                DataType = CellValues.InlineString,
                InlineString = new InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(value.ToString()!)),
                StyleIndex = style,
            },
        };

    static string Column(int index) => index < 26 ? ((char)('A' + index)).ToString() : Column(index / 26 - 1) + (char)('A' + index % 26);

    static void AddStyles(WorkbookPart workbook)
    {
        var styles = workbook.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = new Stylesheet(
            new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "#,##0.##" }) { Count = 1 },
            new Fonts(new Font(), new Font(new Bold()), new Font(new Bold(), new FontSize { Val = 14 })) { Count = 3 },
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFDDE7F3" }) { PatternType = PatternValues.Solid })
            )
            {
                Count = 3,
            },
            new Borders(new Border()) { Count = 1 },
            new CellFormats(
                new CellFormat(), // Text
                new CellFormat
                {
                    FontId = 1,
                    FillId = 2,
                    ApplyFont = true,
                    ApplyFill = true,
                    Alignment = new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top },
                }, // Header
                new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true }, // Number
                new CellFormat { NumberFormatId = 9, ApplyNumberFormat = true }, // Percent (0%)
                new CellFormat { FontId = 2, ApplyFont = true }
            )
            {
                Count = 5,
            }
        ); // Title
    }
}
