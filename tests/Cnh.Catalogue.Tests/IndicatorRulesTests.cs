using Cnh.Catalogue.Documents;
using Cnh.Catalogue.Indicators;

namespace Cnh.Catalogue.Tests;

/// <summary>What makes a definition valid, with the JSON path of each error as a client sent it.</summary>
public class IndicatorRulesTests
{
    static readonly HashSet<string> Groups = ["KT", "XH"];
    static readonly HashSet<string> Departments = ["TC", "XD"];

    static IndicatorDocument Valid() =>
        new(
            "KT99",
            "KT",
            "Chỉ tiêu",
            "Indicator",
            "%",
            "increase",
            new BaselineDocument(2020, 10),
            [new TargetDocument(2025, 20, null, ">=", null, null), new TargetDocument(2030, 30, null, ">=", null, null)],
            "TC",
            ["XD"],
            "annual",
            "documented",
            null,
            null,
            1
        );

    static Dictionary<string, string[]> Errors(IndicatorDocument doc) => IndicatorRules.Validate(doc, Groups, Departments);

    [Fact]
    public void When_a_definition_is_complete_it_has_no_error() => Errors(Valid()).Should().BeEmpty();

    [Fact]
    public void When_target_years_do_not_ascend_the_later_target_is_named() =>
        Errors(
                Valid() with
                {
                    Targets = [new TargetDocument(2030, 30, null, ">=", null, null), new TargetDocument(2025, 20, null, ">=", null, null)],
                }
            )
            .Should()
            .ContainKey("targets[1].year");

    [Fact]
    public void When_an_op_does_not_fit_the_direction_it_says_which_ops_do() =>
        Errors(Valid() with { Direction = "decrease" })["targets[0].op"].Single().Should().Contain("<=");

    [Fact]
    public void When_a_range_has_min_above_max_min_is_named() =>
        Errors(Valid() with { Targets = [new TargetDocument(2025, 5, 4, "range", null, null)] }).Should().ContainKey("targets[0].min");

    [Fact]
    public void When_departments_or_group_are_unknown_each_is_named() =>
        Errors(Valid() with { Group = "ZZ", ResponsibleDepartment = "NOPE", CoordinatingDepartments = ["XD", "NOPE"] })
            .Keys.Should()
            .BeEquivalentTo("group", "responsibleDepartment", "coordinatingDepartments[1]");

    [Fact]
    public void When_a_target_is_not_after_the_baseline_it_is_refused() =>
        Errors(Valid() with { Baseline = new BaselineDocument(2025, 10) }).Should().ContainKey("targets[0].year");

    [Theory]
    [InlineData("KT01", true)]
    [InlineData("E2E-1.a_b", true)]
    [InlineData("", false)]
    [InlineData("..", false)]
    [InlineData("-KT01", false)]
    [InlineData("KT 01", false)]
    [InlineData("KT/01", false)]
    [InlineData("THIRTY-THREE-CHARACTERS-LONG-CODE", false)]
    public void When_a_code_is_checked_only_short_letters_digits_dots_dashes_and_underscores_pass(string code, bool valid) =>
        CodeRules.IsCode(code).Should().Be(valid);

    [Fact]
    public void When_a_department_has_a_control_character_or_no_name_the_fields_are_named_with_their_prefix() =>
        CodeRules
            .ValidateNamed("TC", "Sở\u0007", " ", "departments[3].")
            .Keys.Should()
            .BeEquivalentTo("departments[3].nameVi", "departments[3].nameEn");
}
