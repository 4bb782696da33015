using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.Contracts;
using Cnh.Submissions.Submit;
using Cnh.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cnh.Submissions.Tests.InProcess;

/// <summary>
/// Submissions in process: the catalogue's definitions arrive as events on the in-memory bus, values are posted to
/// the real endpoints, and what the service publishes is read back from the harness.
/// </summary>
public class SubmissionEndpointTests(ServiceFactory<Program> submissions) : IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task When_a_department_submits_a_value_of_its_indicator_it_gets_202_and_SubmissionAccepted_is_published()
    {
        var code = await submissions.DefineIndicatorAsync("TC");

        var response = await SubmitAsync("TC", code, "2024", 61.5);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.Headers.Location!.ToString().Should().Be(answer.GetProperty("statusUrl").GetString());
        answer.GetProperty("revision").GetInt32().Should().Be(1);
        var id = answer.GetProperty("id").GetGuid();
        var published = await submissions.Harness.PublishedCountAsync<SubmissionAccepted>(x => x.SubmissionId == id);
        published.Should().Be(1);
        submissions
            .Harness.Published.Select<SubmissionAccepted>(x => x.Context.Message.SubmissionId == id)
            .Single()
            .Context.Message.Should()
            .BeEquivalentTo(
                new
                {
                    IndicatorCode = code,
                    Period = "2024",
                    Value = 61.5,
                    Department = "TC",
                    Revision = 1,
                }
            );
    }

    [Fact]
    public async Task When_the_same_period_is_submitted_again_it_is_the_next_revision()
    {
        var code = await submissions.DefineIndicatorAsync("TC");

        await SubmitAsync("TC", code, "2023", 60);
        var second = await SubmitAsync("TC", code, "2023", 62);

        second.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task When_values_of_one_period_arrive_at_once_singly_and_in_a_batch_each_gets_its_own_revision()
    {
        var code = await submissions.DefineIndicatorAsync("TC");
        var batch = Enumerable
            .Range(0, 5)
            .Select(i => new
            {
                indicatorCode = code,
                period = "2024",
                value = 50.0 + i,
            })
            .ToList();

        var responses = await Task.WhenAll(
            Enumerable
                .Range(0, 20)
                .Select(i => SubmitAsync("TC", code, "2024", 40 + i))
                .Append(submissions.AsDepartment("TC").PostAsJsonAsync("/api/submissions/batch", batch))
        );

        responses.Should().AllSatisfy(r => r.StatusCode.Should().Be(HttpStatusCode.Accepted));
        (await submissions.Harness.PublishedCountAsync<SubmissionAccepted>(x => x.IndicatorCode == code, 20)).Should().Be(20);
        (await submissions.Harness.PublishedCountAsync<SubmissionBatchAccepted>(x => x.Values[0].IndicatorCode == code, 1)).Should().Be(1);
        submissions
            .Harness.Published.Select<SubmissionAccepted>(x => x.Context.Message.IndicatorCode == code)
            .Select(x => x.Context.Message.Revision)
            .Concat(
                submissions
                    .Harness.Published.Select<SubmissionBatchAccepted>(x => x.Context.Message.Values[0].IndicatorCode == code)
                    .SelectMany(x => x.Context.Message.Values.Select(v => v.Revision))
            )
            .Order()
            .Should()
            .Equal(Enumerable.Range(1, 25));
    }

    [Fact]
    public async Task When_a_batch_is_stored_its_values_are_published_in_parts_each_as_a_single_value_would_be()
    {
        var code = await submissions.DefineIndicatorAsync("TC");
        var perEvent = submissions.Services.GetRequiredService<IOptions<BatchOptions>>().Value.ValuesPerEvent;
        var rows = Enumerable
            .Range(0, perEvent * 5 / 2)
            .Select(i => new
            {
                indicatorCode = code,
                period = $"{2000 + i % 25}",
                value = 50.0 + i % 7,
            })
            .ToList();

        var response = await submissions.AsDepartment("TC").PostAsJsonAsync("/api/submissions/batch", rows);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
        var batchId = summary.GetProperty("batchId").GetGuid();
        (await submissions.Harness.PublishedCountAsync<SubmissionBatchAccepted>(x => x.BatchId == batchId, 3)).Should().Be(3);
        var parts = submissions
            .Harness.Published.Select<SubmissionBatchAccepted>(x => x.Context.Message.BatchId == batchId)
            .Select(x => x.Context.Message)
            .ToList();
        parts.Select(p => p.Values.Count).Order().Should().Equal(perEvent / 2, perEvent, perEvent);
        var values = parts.SelectMany(p => p.Values).ToList();
        values.Select(v => v.EventId).Should().OnlyHaveUniqueItems();
        values
            .Select(v => (v.SubmissionId, v.Revision))
            .Should()
            .BeEquivalentTo(
                summary
                    .GetProperty("acceptedRows")
                    .EnumerateArray()
                    .Select(r => (r.GetProperty("id").GetGuid(), r.GetProperty("revision").GetInt32()))
            );
        values.Should().AllSatisfy(v => v.Department.Should().Be("TC"));
        (await submissions.Harness.PublishedWithinAsync<SubmissionAccepted>(x => x.IndicatorCode == code, TimeSpan.FromSeconds(1)))
            .Should()
            .Be(0);
    }

    [Fact]
    public async Task When_another_department_submits_it_gets_403_naming_the_indicator_and_nothing_is_published()
    {
        var code = await submissions.DefineIndicatorAsync("TC");

        var response = await SubmitAsync("XD", code, "2024", 1);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("indicatorCode");
        (await submissions.Harness.PublishedWithinAsync<SubmissionAccepted>(x => x.IndicatorCode == code, TimeSpan.FromSeconds(2)))
            .Should()
            .Be(0);
    }

    [Theory]
    [InlineData("2024Q1", "period")]
    [InlineData("2024-01", "period")]
    [InlineData("1800", "period")]
    public async Task When_a_period_does_not_fit_the_indicator_it_gets_422_naming_the_field(string period, string field)
    {
        var code = await submissions.DefineIndicatorAsync("TC");

        var response = await SubmitAsync("TC", code, period, 1);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue();
    }

    [Fact]
    public async Task When_a_quarterly_indicator_gets_a_quarter_it_is_accepted()
    {
        var code = await submissions.DefineIndicatorAsync("TC", "quarterly");

        var response = await SubmitAsync("TC", code, "2024Q3", 5);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task When_a_viewer_submits_it_gets_403_and_without_a_token_401()
    {
        var body = new
        {
            indicatorCode = "KT01",
            period = "2024",
            value = 1,
        };

        (await submissions.AsViewer().PostAsJsonAsync("/api/submissions", body)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await submissions.ClientWith(null).PostAsJsonAsync("/api/submissions", body)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    Task<HttpResponseMessage> SubmitAsync(string department, string code, string period, double value) =>
        submissions
            .AsDepartment(department)
            .PostAsJsonAsync(
                "/api/submissions",
                new
                {
                    indicatorCode = code,
                    period,
                    value,
                }
            );
}
