using Cnh.Portal.Api;
using Cnh.Portal.Components.Charts;
using Cnh.Portal.Text;

namespace Cnh.Portal.Tests;

public class IndicatorChartTests
{
    static readonly CatalogueIndicator Kt01 = new(
        "KT01",
        "KT",
        "Thu nhập bình quân đầu người",
        "Average income per capita",
        "USD/người/năm",
        "increase",
        new CatalogueBaseline(2020, 5420),
        [
            new CatalogueTarget(2025, 8300, 8500, "range", "documented", "21-CTr/TU"),
            new CatalogueTarget(2030, 12500, null, ">", "documented", "21-CTr/TU"),
        ],
        "TC",
        ["TK"],
        "annual",
        "documented",
        null,
        null,
        90,
        1,
        false,
        DateTimeOffset.UnixEpoch
    );

    static readonly Observation[] Values =
    [
        new("2021", 5600, 1, Guid.NewGuid(), DateTimeOffset.UnixEpoch),
        new("2024", 6900, 1, Guid.NewGuid(), DateTimeOffset.UnixEpoch),
    ];

    static readonly ProgressResult Result = new(
        "NeedsAcceleration",
        0.7,
        0.699,
        83,
        2020,
        5420,
        "2024",
        2024,
        6900,
        2025,
        "range",
        8300,
        0.0622,
        0.0890,
        null,
        [],
        Guid.NewGuid(),
        1
    );

    static IndicatorChart Chart(int targetYear) =>
        new()
        {
            Indicator = Kt01,
            Observations = Values,
            Result = Result,
            TargetYear = targetYear,
        };

    [Fact]
    public void When_the_required_path_is_drawn_it_runs_from_the_base_to_the_chosen_target_at_a_constant_rate()
    {
        var rows = Chart(2025).Rows();

        rows.Select(r => r.Period).Should().Equal("2020", "2021", "2022", "2023", "2024", "2025", "2026", "2027", "2028", "2029", "2030");
        rows[0].RequiredPath.Should().Be(5420);
        rows.Single(r => r.Period == "2025").RequiredPath.Should().BeApproximately(8300, 1e-6);
        var rate = Math.Pow(8300.0 / 5420, 1 / 5.0);
        rows.Single(r => r.Period == "2022").RequiredPath.Should().BeApproximately(5420 * rate * rate, 1e-6);
        rows.Single(r => r.Period == "2026").RequiredPath.Should().BeNull("the path ends at its target year");
        Chart(2030).Rows().Single(r => r.Period == "2030").RequiredPath.Should().BeApproximately(12500, 1e-6);
    }

    [Fact]
    public void When_the_projection_is_drawn_it_continues_the_latest_value_at_the_observed_rate_to_2030()
    {
        var rows = Chart(2025).Rows();

        rows.Single(r => r.Period == "2023").Projection.Should().BeNull();
        rows.Single(r => r.Period == "2024").Projection.Should().Be(6900);
        rows.Single(r => r.Period == "2030").Projection.Should().BeApproximately(6900 * Math.Pow(1.0622, 6), 1e-6);
        rows.Where(r => r.Reported is not null).Select(r => r.Period).Should().Equal("2021", "2024");
        rows.Where(r => r.Target is not null).Select(r => (r.Period, r.Target)).Should().Equal(("2025", 8300.0), ("2030", 12500.0));
    }

    [Fact]
    public void When_the_chart_is_rendered_it_is_an_image_with_a_title_a_description_and_both_target_years_labelled()
    {
        var svg = Chart(2025).Render(Language.Vietnamese, "Cần tăng tốc");

        svg.Should().StartWith("<svg").And.Contain("role=\"img\"").And.Contain("<title id=\"chart-title\">KT01");
        svg.Should().Contain("Mục tiêu 2025: 8.300–8.500").And.Contain("Mục tiêu 2030: &gt; 12.500");
        svg.Should().Contain("2 giá trị báo cáo, từ 5.600 USD/người/năm (2021) đến 6.900 USD/người/năm (2024)");
        System.Xml.Linq.XDocument.Parse(svg).Root!.Name.LocalName.Should().Be("svg", "the download is a well-formed SVG file");
        Chart(2030)
            .Render(Language.English, "Needs acceleration")
            .Should()
            .Contain("Target 2030: &gt; 12,500")
            .And.Contain("Required path (2030)");
    }

    [Fact]
    public void When_an_indicator_goes_down_the_goal_is_the_upper_end_of_its_target()
    {
        var poverty = Kt01 with { Direction = "decrease", Targets = [new CatalogueTarget(2030, 1, 3, "range", null, null)] };
        new IndicatorChart
        {
            Indicator = poverty,
            Observations = [],
            Result = null,
            TargetYear = 2030,
        }
            .Goal(poverty.Targets[0])
            .Should()
            .Be(3);
    }
}
