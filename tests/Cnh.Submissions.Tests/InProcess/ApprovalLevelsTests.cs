using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.Contracts;
using Cnh.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Cnh.Submissions.Tests.InProcess;

/// <summary>Submissions configured with one approval level for one catalogue and none for another.</summary>
public sealed class ApprovalLevelsFactory : ServiceFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Submissions:Approval:Catalogues:one-level", "1");
        builder.UseSetting("Submissions:Approval:Catalogues:no-approval", "0");
    }
}

/// <summary>
/// Which approval steps apply is per catalogue: with one level the statistics office accepts submitted values directly;
/// with none a value is official as it comes, and scoring is told so in <c>SubmissionAccepted</c>.
/// </summary>
public class ApprovalLevelsTests(ApprovalLevelsFactory submissions) : IClassFixture<ApprovalLevelsFactory>
{
    [Fact]
    public async Task When_a_catalogue_has_one_level_the_statistics_office_accepts_a_submitted_value_and_no_approver_takes_a_step()
    {
        var id = await SubmitAsync("one-level");
        var approver = Client(Roles.DepartmentApprover, "TC");
        (await submissions.Harness.PublishedCountAsync<SubmissionApproved>(m => m.SubmissionId == id))
            .Should()
            .Be(1, "the statistics office is told the value waits for it as it comes");

        (await approver.PostAsync($"/api/submissions/{id}/approve", null)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        var accepted = await Client(Roles.Statistics, null).PostAsync($"/api/submissions/{id}/accept", null);
        accepted.StatusCode.Should().Be(HttpStatusCode.OK);
        (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("approval").GetString().Should().Be("Accepted");
        (await submissions.Harness.PublishedCountAsync<SubmissionMadeOfficial>(m => m.SubmissionId == id)).Should().Be(1);
        var accepted1 = submissions.Harness.Published.Select<SubmissionAccepted>(m => m.Context.Message.SubmissionId == id).Single();
        accepted1.Context.Message.Official.Should().BeFalse("it became official when accepted, not when it came");
    }

    [Fact]
    public async Task When_a_catalogue_has_no_approval_a_value_is_official_as_it_comes_and_there_is_nothing_to_review()
    {
        var id = await SubmitAsync("no-approval");

        (await submissions.Harness.PublishedCountAsync<SubmissionAccepted>(m => m.SubmissionId == id && m.Official)).Should().Be(1);
        (await submissions.Harness.PublishedWithinAsync<SubmissionApproved>(m => m.SubmissionId == id, TimeSpan.FromSeconds(1)))
            .Should()
            .Be(0, "nothing waits for anyone");
        var view = await submissions.AsDepartment("TC").GetFromJsonAsync<JsonElement>($"/api/submissions/{id}");
        view.GetProperty("approval").GetString().Should().Be("Accepted");
        (await Client(Roles.Statistics, null).PostAsync($"/api/submissions/{id}/accept", null))
            .StatusCode.Should()
            .Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task When_a_batch_of_a_one_level_catalogue_is_stored_each_value_waits_for_the_statistics_office()
    {
        var defined = TestEvents.IndicatorDefined(TestEvents.NewCode(), "TC") with { Catalogue = "one-level" };
        await submissions.DeliverAsync(defined);
        var rows = new[]
        {
            new
            {
                indicatorCode = defined.Code,
                period = "2023",
                value = 1.0,
            },
            new
            {
                indicatorCode = defined.Code,
                period = "2024",
                value = 2.0,
            },
        };

        (await submissions.AsDepartment("TC").PostAsJsonAsync("/api/submissions/batch", rows))
            .StatusCode.Should()
            .Be(HttpStatusCode.Accepted);

        (await submissions.Harness.PublishedCountAsync<SubmissionApproved>(m => m.IndicatorCode == defined.Code, 2)).Should().Be(2);
    }

    async Task<Guid> SubmitAsync(string catalogue)
    {
        var defined = TestEvents.IndicatorDefined(TestEvents.NewCode(), "TC") with { Catalogue = catalogue };
        await submissions.DeliverAsync(defined);
        var response = await submissions
            .AsDepartment("TC")
            .PostAsJsonAsync(
                "/api/submissions",
                new
                {
                    indicatorCode = defined.Code,
                    period = "2024",
                    value = 10.0,
                }
            );
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    HttpClient Client(string role, string? department) =>
        submissions.ClientWith((tokens, auth) => tokens.Issue(auth, $"{role}-client", role, department));
}
