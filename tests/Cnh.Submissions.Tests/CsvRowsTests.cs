using Cnh.Submissions.Submit;

namespace Cnh.Submissions.Tests;

public class CsvRowsTests
{
    [Fact]
    public void When_fields_are_quoted_they_keep_commas_quotes_and_line_breaks()
    {
        var (rows, error, _) = CsvRows.Parse(
            "indicatorCode,period,value,note\r\nKT01,2024,\"5,5\",x\nKT01,2025,6,\"say \"\"hi\"\"\nthere\"\n"
        );

        error.Should().BeNull();
        rows.Should().HaveCount(2);
        rows[0].Error.Should().Contain("not a finite number", "decimals use a dot; 5,5 is not a value");
        rows[1].Request.Should().Be(new SubmissionRequest("KT01", "2025", 6, "say \"hi\"\nthere", null));
    }

    [Fact]
    public void When_the_header_names_columns_in_any_order_and_case_the_rows_follow_it()
    {
        var (rows, error, _) = CsvRows.Parse("VALUE,Indicator_Code,period\n1.5e2,XH01,2023\n\n");

        error.Should().BeNull();
        rows.Single().Request.Should().Be(new SubmissionRequest("XH01", "2023", 150, null, null));
    }

    [Theory]
    [InlineData("", "no header")]
    [InlineData("indicatorCode,period\nKT01,2024\n", "value")]
    [InlineData("indicatorCode,period,value,colour\n", "colour")]
    [InlineData("indicatorCode,period,value,value\n", "twice")]
    [InlineData("indicatorCode,period,value,note\nKT01,2024,1,\"never closed\n", "never closed")]
    public void When_the_header_is_wrong_the_whole_file_is_refused(string csv, string reason) =>
        CsvRows.Parse(csv).HeaderError.Should().Contain(reason);

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e309")]
    public void When_a_value_is_not_a_finite_number_its_row_is_rejected(string value) =>
        CsvRows.Parse($"indicatorCode,period,value\nKT01,2024,{value}\n").Rows.Single().Error.Should().Contain("finite");

    [Fact]
    public void When_a_row_has_the_wrong_number_of_fields_it_alone_is_rejected_with_its_row_number()
    {
        var (rows, _, _) = CsvRows.Parse("indicatorCode,period,value\nKT01,2024,1\nKT01,2025\nKT01,2026,3\n");

        rows.Select(r => (r.Number, r.Error is null)).Should().Equal((1, true), (2, false), (3, true));
    }
}

public class CsvRowsLimitTests
{
    [Fact]
    public void When_a_CSV_has_more_lines_than_the_limit_reading_stops_there_blank_lines_included()
    {
        var (rows, error, tooMany) = CsvRows.Parse("indicatorCode,period,value\n" + new string('\n', 1_000_000), maxRows: 100);
        (rows.Count, error, tooMany).Should().Be((0, null, true));
        CsvRows
            .Parse("indicatorCode,period,value\n" + string.Concat(Enumerable.Repeat("KT01,2024,1\n", 100)), maxRows: 100)
            .TooMany.Should()
            .BeFalse();
    }
}
