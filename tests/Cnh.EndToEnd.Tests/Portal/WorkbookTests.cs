using System.Globalization;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Cnh.EndToEnd.Tests.Portal;

/// <summary>The Excel report the statistics office files: opened with the OpenXml SDK, its numbers are the API's.</summary>
[Collection(PlatformCollection.Name)]
public class WorkbookTests(Platform platform)
{
    [Fact]
    public async Task When_the_Excel_report_is_opened_it_has_the_26_indicators_with_the_APIs_numbers_and_Vietnamese_statuses()
    {
        var scores = (await platform.GetJsonAsync("/api/scores/indicators", "viewer"))
            .EnumerateArray()
            .ToDictionary(s => s.GetProperty("code").GetString()!);
        var bytes = await platform.Http.GetByteArrayAsync(platform.Url("/reports/indicators.xlsx"));

        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        new DocumentFormat.OpenXml.Validation.OpenXmlValidator()
            .Validate(document)
            .Select(e => $"{e.Path?.XPath}: {e.Description}")
            .Should()
            .BeEmpty("Excel refuses a workbook its schema does not allow");
        var workbook = document.WorkbookPart!;
        var sheets = workbook.Workbook.Sheets!.Elements<Sheet>().ToList();
        sheets
            .Select(s => s.Name!.Value)
            .Should()
            .StartWith("Tổng hợp")
            .And.Contain(n => n!.StartsWith("KT "))
            .And.Contain(n => n!.StartsWith("MT "));

        var rows = new Dictionary<string, IReadOnlyList<object?>>();
        foreach (var sheet in sheets.Skip(1))
        {
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!);
            part.Worksheet.Descendants<Pane>().Single().State!.Value.Should().Be(PaneStateValues.Frozen, "the header stays in view");
            var sheetRows = part.Worksheet.Descendants<Row>().ToList();
            Texts(sheetRows[0]).Should().StartWith(["Nhóm", "Mã", "Chỉ tiêu", "Đơn vị"]);
            foreach (var row in sheetRows.Skip(1))
                rows[(string)Values(row)[1]!] = Values(row);
        }

        rows.Keys.Should().Contain(PortalBrowser.SeedCodes);
        foreach (var code in PortalBrowser.SeedCodes)
        {
            var api = scores[code];
            var row = rows[code];
            row[10].Should().Be(PortalBrowser.VietnameseStatus[api.GetProperty("status").GetString()!], code);
            var result = api.GetProperty("result");
            if (result.ValueKind == JsonValueKind.Object && result.GetProperty("currentValue").ValueKind == JsonValueKind.Number)
            {
                row[7]
                    .Should()
                    .Be(result.GetProperty("currentValue").GetDouble(), $"{code}'s latest value is a number cell equal to the API's");
                row[8].Should().Be(result.GetProperty("currentPeriod").GetString());
            }
            else
                row[7].Should().BeNull(code);
        }

        var english = await platform.Http.GetByteArrayAsync(platform.Url("/reports/indicators.xlsx?lang=en"));
        using var englishDocument = SpreadsheetDocument.Open(new MemoryStream(english), false);
        englishDocument.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().First().Name!.Value.Should().Be("Summary");
    }

    static List<string?> Texts(Row row) => Values(row).Select(v => v as string).ToList();

    /// <summary>Each cell as a string (inline text) or a double (a numeric cell), null when empty.</summary>
    static List<object?> Values(Row row) =>
        row.Elements<Cell>()
            .Select(c =>
                c.DataType?.Value == CellValues.InlineString ? c.InlineString!.InnerText
                : c.CellValue is { } v ? double.Parse(v.Text, CultureInfo.InvariantCulture)
                : (object?)null
            )
            .ToList();
}
