using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.Contracts;
using Cnh.Testing;
using MassTransit.Testing;

namespace Cnh.Catalogue.Tests.InProcess;

/// <summary>The catalogue's endpoints in process: its own database (seeded from the seed file) and an in-memory bus.</summary>
public class CatalogueEndpointTests(ServiceFactory<Program> catalogue) : IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task When_the_catalogue_starts_it_serves_the_seed_and_publishes_every_indicator()
    {
        var indicators = await catalogue.AsViewer().GetFromJsonAsync<JsonElement>("/api/catalogue/indicators");

        indicators.EnumerateArray().Select(i => i.GetProperty("code").GetString()).Should().HaveCount(26).And.Contain(["KT01", "MT04"]);
        (await catalogue.Harness.PublishedCountAsync<IndicatorDefined>(x => x.Code == "KT01")).Should().Be(1);
    }

    [Fact]
    public async Task When_an_admin_creates_an_indicator_it_answers_201_with_version_1_and_publishes_its_definition()
    {
        var code = $"IT-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";

        var response = await catalogue.AsAdmin().PostAsJsonAsync("/api/catalogue/indicators", Definition(code));

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        response.Headers.Location!.ToString().Should().EndWith($"/api/catalogue/indicators/{code}");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32().Should().Be(1);
        (await catalogue.Harness.PublishedCountAsync<IndicatorDefined>(x => x.Code == code && x.Version == 1)).Should().Be(1);
    }

    [Theory]
    [InlineData("direction", "\"sideways\"")]
    [InlineData("group", "\"XX\"")]
    [InlineData("responsibleDepartment", "\"NOWHERE\"")]
    [InlineData("targets", "[]")]
    public async Task When_a_definition_breaks_a_rule_it_gets_422_naming_the_field_and_nothing_is_stored(string field, string value)
    {
        var code = $"IT-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";
        var body = JsonSerializer.SerializeToNode(Definition(code), JsonSerializerOptions.Web)!;
        body[field] = System.Text.Json.Nodes.JsonNode.Parse(value);

        var response = await catalogue.AsAdmin().PostAsync("/api/catalogue/indicators", JsonContent.Create(body));

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue();
        (await catalogue.AsViewer().GetAsync($"/api/catalogue/indicators/{code}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task When_a_department_or_no_one_changes_the_catalogue_it_gets_403_or_401()
    {
        var body = Definition($"IT-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}");

        (await catalogue.AsDepartment("TC").PostAsJsonAsync("/api/catalogue/indicators", body))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden);
        (await catalogue.ClientWith(null).PostAsJsonAsync("/api/catalogue/indicators", body))
            .StatusCode.Should()
            .Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task When_an_admin_defines_a_department_it_is_listed_and_published()
    {
        var code = $"IT-{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";

        var response = await catalogue
            .AsAdmin()
            .PutAsJsonAsync($"/api/catalogue/departments/{code}", new { nameVi = "Đơn vị thử", nameEn = "Test unit" });

        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        var listed = await catalogue.AsViewer().GetFromJsonAsync<JsonElement>("/api/catalogue/departments");
        listed.EnumerateArray().Select(d => d.GetProperty("code").GetString()).Should().Contain(code);
        (await catalogue.Harness.PublishedCountAsync<DepartmentDefined>(x => x.Code == code)).Should().Be(1);
    }

    static object Definition(string code) =>
        new
        {
            code,
            group = "KT",
            nameVi = "Chỉ tiêu thử",
            nameEn = "Test indicator",
            unit = "%",
            direction = "increase",
            targets = new[]
            {
                new
                {
                    year = 2030,
                    min = 90.0,
                    op = ">=",
                },
            },
            responsibleDepartment = "TC",
            coordinatingDepartments = Array.Empty<string>(),
            reportingFrequency = "annual",
            confidence = "inferred",
        };
}
