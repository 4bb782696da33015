using System.Text.Json;
using Cnh.Scoring.Api;
using Cnh.Scoring.Method;

namespace Cnh.Scoring.Tests;

/// <summary>
/// The stored result (jsonb history) and the API's <c>result</c> are two contracts: each keeps its field names, whatever
/// happens to the other's record.
/// </summary>
public class ResultContractTests
{
    static readonly string[] Fields =
    [
        "status",
        "score",
        "progressValue",
        "attainmentPercent",
        "baseYear",
        "baseValue",
        "currentPeriod",
        "currentYear",
        "currentValue",
        "targetYear",
        "targetOp",
        "targetValue",
        "observedGrowth",
        "requiredGrowth",
        "note",
        "milestones",
        "basedOnSubmissionId",
        "basedOnRevision",
    ];

    static readonly ProgressResult Sample = new(
        "OnTrack",
        3.1,
        1.02,
        87.5,
        2020,
        5420,
        "2023",
        2023,
        7200,
        2025,
        "range",
        8300,
        0.0993,
        0.0890,
        null,
        [new Milestone(2025, "range", 8300, null, null)],
        Guid.Empty,
        1
    );

    [Fact]
    public void When_a_result_is_answered_by_the_api_it_has_the_documented_fields()
    {
        var json = JsonSerializer.SerializeToElement(ResultView.From(Sample), JsonSerializerOptions.Web);

        json.EnumerateObject().Select(p => p.Name).Should().Equal(Fields);
        json.GetProperty("milestones")[0]
            .EnumerateObject()
            .Select(p => p.Name)
            .Should()
            .Equal("year", "op", "targetValue", "observedValue", "met");
    }

    [Fact]
    public void When_a_result_is_stored_it_keeps_the_fields_earlier_rows_were_written_with()
    {
        // Rows written since the first release hold these names; a rename would make them unreadable.
        var json = JsonSerializer.SerializeToElement(Sample, JsonSerializerOptions.Web);

        json.EnumerateObject().Select(p => p.Name).Should().Equal(Fields);
        JsonSerializer.Deserialize<ProgressResult>(json, JsonSerializerOptions.Web).Should().BeEquivalentTo(Sample);
    }
}
