using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;

namespace Cnh.EndToEnd.Tests;

/// <summary>
/// The approval workflow through the gateway, with real clients of each role: the department submits, its approver
/// approves, the statistics office accepts (official, locked), an admin unlocks; every refusal on the way.
/// </summary>
[Collection(PlatformCollection.Name)]
public class ApprovalTests(Platform platform)
{
    const string Statistics = "statistics";

    [Fact]
    public async Task When_a_value_is_approved_and_accepted_it_is_official_its_period_locks_and_only_an_admin_unlocks_it()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var approver = await ClientAsync("department-approver", TestIndicator.Department);
        var otherApprover = await ClientAsync("department-approver", "TC");
        var first = await SubmitAsync(indicator.Code, "2024", 40);

        (await StepAsync(first, "accept", Statistics)).StatusCode.Should().Be(HttpStatusCode.Conflict, "not approved yet");
        (await StepAsync(first, "approve", TestIndicator.Client))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden, "submitters do not approve");
        (await StepAsync(first, "approve", otherApprover))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden, "another department's approver");
        (await StepAsync(first, "approve", Statistics)).StatusCode.Should().Be(HttpStatusCode.Forbidden, "the department's step");
        (await StepAsync(first, "approve", "viewer")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var noComment = await StepAsync(first, "return", approver, new { comment = " " });
        noComment.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await noComment.Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("errors")
            .GetProperty("comment")
            .GetArrayLength()
            .Should()
            .Be(1);

        (await ApprovalOfAsync(await StepAsync(first, "approve", approver))).Should().Be("Approved");
        (await ApprovalOfAsync(await StepAsync(first, "unapprove", approver))).Should().Be("Submitted");
        (await ApprovalOfAsync(await StepAsync(first, "approve", approver))).Should().Be("Approved");
        (await StepAsync(first, "approve", approver)).StatusCode.Should().Be(HttpStatusCode.Conflict, "already approved");
        (await StepAsync(first, "accept", approver)).StatusCode.Should().Be(HttpStatusCode.Forbidden, "the statistics office's step");
        var accepted = await StepAsync(first, "accept", Statistics);
        (await ApprovalOfAsync(accepted)).Should().Be("Accepted");
        (await StepAsync(first, "unapprove", approver)).StatusCode.Should().Be(HttpStatusCode.Conflict, "accepted is final");

        // The period is locked: single values and batch rows for it are refused, other periods are not.
        var locked = await platform.SubmitAsync(TestIndicator.Client, indicator.Code, "2024", 45);
        locked.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await locked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("period");
        var batch = await platform.SendAsync(
            HttpMethod.Post,
            "/api/submissions/batch",
            TestIndicator.Client,
            new[]
            {
                new
                {
                    indicatorCode = indicator.Code,
                    period = "2024",
                    value = 45.0,
                },
            }
        );
        batch.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "its only row is refused");
        (await batch.Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("errors")
            .EnumerateObject()
            .Select(e => e.Name)
            .Should()
            .ContainSingle(name => name.EndsWith("].period"));
        (await platform.GetJsonAsync($"/api/submissions/locks?department={TestIndicator.Department}", approver))
            .EnumerateArray()
            .Should()
            .Contain(l => l.GetProperty("indicatorCode").GetString() == indicator.Code);

        var unlockUrl = $"/api/submissions/locks/{indicator.Code}/2024/unlock";
        (await platform.SendAsync(HttpMethod.Post, unlockUrl, Statistics, new { reason = "revised census" }))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden, "only an admin unlocks");
        (await platform.SendAsync(HttpMethod.Post, unlockUrl, "admin", new { reason = "" }))
            .StatusCode.Should()
            .Be(HttpStatusCode.UnprocessableEntity, "an unlock needs a reason");
        (await platform.SendAsync(HttpMethod.Post, unlockUrl, "admin", new { reason = "Revised by the 2024 census" }))
            .StatusCode.Should()
            .Be(HttpStatusCode.OK);
        (await platform.GetJsonAsync($"/api/submissions/audit?entity=period&key={indicator.Code}/2024", "admin"))
            .EnumerateArray()
            .Should()
            .Contain(a => a.GetProperty("action").GetString() == "period.unlocked");

        // A correction after the unlock is provisional: the official view keeps the accepted value.
        var second = await SubmitAsync(indicator.Code, "2024", 45);
        (await StepAsync(first, "accept", Statistics)).StatusCode.Should().Be(HttpStatusCode.Conflict, "revision 1 is superseded");
        var provisional = await Eventually.Async(
            () => platform.GetJsonAsync($"/api/scores/indicators/{indicator.Code}", "viewer"),
            s =>
                s.GetProperty("result").ValueKind == JsonValueKind.Object
                && s.GetProperty("result").GetProperty("currentValue").GetDouble() == 45,
            TimeSpan.FromSeconds(20),
            "the correction scored",
            s => s.GetRawText()
        );
        provisional.GetProperty("basis").GetString().Should().Be("provisional");
        var official = await platform.GetJsonAsync($"/api/scores/indicators/{indicator.Code}?basis=official", "viewer");
        official.GetProperty("basis").GetString().Should().Be("official");
        official.GetProperty("result").GetProperty("currentValue").GetDouble().Should().Be(40, "the newer revision is not accepted");
        var observations = await platform.GetJsonAsync($"/api/scores/indicators/{indicator.Code}/observations", "viewer");
        observations.EnumerateArray().Single().GetProperty("official").GetBoolean().Should().BeFalse();
        (await platform.SendAsync(HttpMethod.Get, "/api/scores?basis=latest", "viewer"))
            .StatusCode.Should()
            .Be(HttpStatusCode.UnprocessableEntity);
        (await platform.GetJsonAsync("/api/scores?basis=official", "viewer")).GetProperty("basis").GetString().Should().Be("official");

        // Accepting the correction makes the official view follow it.
        await StepAsync(second, "approve", approver);
        (await ApprovalOfAsync(await StepAsync(second, "accept", Statistics))).Should().Be("Accepted");
        await Eventually.Async(
            () => platform.GetJsonAsync($"/api/scores/indicators/{indicator.Code}?basis=official", "viewer"),
            s => s.GetProperty("result").GetProperty("currentValue").GetDouble() == 45,
            TimeSpan.FromSeconds(20),
            "the official view on the accepted correction",
            s => s.GetRawText()
        );
        (await platform.GetJsonAsync($"/api/scores/indicators/{indicator.Code}", "viewer"))
            .GetProperty("basis")
            .GetString()
            .Should()
            .Be("official");

        // The statistics office heard of each approved value.
        var waiting = await Eventually.Async(
            () => AlertsAsync(indicator.Code, "ApprovalAwaited", Statistics),
            a => a.Count >= 3,
            TimeSpan.FromSeconds(20),
            "approval-awaited alerts",
            a => string.Join(" | ", a)
        );
        waiting.Should().HaveCount(3, "approved three times: twice revision 1 (after an unapprove) and once revision 2");
    }

    [Fact]
    public async Task When_a_value_is_returned_with_a_comment_the_department_is_told_and_must_submit_again()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var approver = await ClientAsync("department-approver", TestIndicator.Department);
        var first = await SubmitAsync(indicator.Code, "2024", 40);
        (await ApprovalOfAsync(await StepAsync(first, "return", approver, new { comment = "Thiếu nguồn số liệu" })))
            .Should()
            .Be("Returned");
        (await StepAsync(first, "approve", approver)).StatusCode.Should().Be(HttpStatusCode.Conflict, "a returned value is not approved");

        var second = await SubmitAsync(indicator.Code, "2024", 41);
        await StepAsync(second, "approve", approver);
        (await StepAsync(second, "return", Statistics)).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "no comment");
        var returned = await StepAsync(second, "return", Statistics, new { comment = "Không khớp niên giám 2024" });
        var view = await returned.Content.ReadFromJsonAsync<JsonElement>();
        view.GetProperty("approval").GetString().Should().Be("Returned");
        view.GetProperty("reviewComment").GetString().Should().Be("Không khớp niên giám 2024");
        view.GetProperty("reviewedBy").GetString().Should().Be(Statistics);
        (await StepAsync(second, "accept", Statistics)).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var alerts = await Eventually.Async(
            () => AlertsAsync(indicator.Code, "SubmissionReturned", TestIndicator.Client),
            a => a.Count >= 2,
            TimeSpan.FromSeconds(20),
            "returned alerts in the department's feed",
            a => string.Join(" | ", a)
        );
        alerts
            .Should()
            .ContainSingle(m => m.Contains("Thiếu nguồn số liệu"))
            .And.ContainSingle(m => m.Contains("Không khớp niên giám 2024"));
        (await platform.GetJsonAsync($"/api/submissions/approvals?step=statistics&department={TestIndicator.Department}", Statistics))
            .EnumerateArray()
            .Should()
            .NotContain(s => s.GetProperty("indicatorCode").GetString() == indicator.Code, "nothing of it waits for the statistics office");
    }

    [Fact]
    public async Task When_approvers_read_their_work_lists_each_sees_what_waits_for_its_step()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var approver = await ClientAsync("department-approver", TestIndicator.Department);
        var waiting = await SubmitAsync(indicator.Code, "2023", 1);
        var approved = await SubmitAsync(indicator.Code, "2024", 2);
        await StepAsync(approved, "approve", approver);

        async Task<List<Guid>> ListAsync(string step, string client) =>
            (await platform.GetJsonAsync($"/api/submissions/approvals?step={step}", client))
                .EnumerateArray()
                .Where(s => s.GetProperty("indicatorCode").GetString() == indicator.Code)
                .Select(s => s.GetProperty("id").GetGuid())
                .ToList();

        (await ListAsync("department", approver)).Should().Equal(waiting);
        (await ListAsync("statistics", Statistics)).Should().Equal(approved);
        (await platform.SendAsync(HttpMethod.Get, "/api/submissions/approvals?step=department&department=TC", approver))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden, "an approver reads its own department's list");
        (await platform.SendAsync(HttpMethod.Get, "/api/submissions/approvals?step=everyone", Statistics))
            .StatusCode.Should()
            .Be(HttpStatusCode.UnprocessableEntity);
    }

    async Task<Guid> SubmitAsync(string code, string period, double value)
    {
        var response = await platform.SubmitAsync(TestIndicator.Client, code, period, value);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    Task<HttpResponseMessage> StepAsync(Guid id, string step, string client, object? body = null) =>
        platform.SendAsync(HttpMethod.Post, $"/api/submissions/{id}/{step}", client, body);

    static async Task<string?> ApprovalOfAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("approval").GetString();
    }

    async Task<List<string>> AlertsAsync(string code, string kind, string client) =>
        (await platform.GetJsonAsync($"/api/notifications?indicator={code}", client))
            .EnumerateArray()
            .Where(a => a.GetProperty("kind").GetString() == kind)
            .Select(a => a.GetProperty("message").GetString()!)
            .ToList();

    /// <summary>A client of <paramref name="role"/>, made through the admin API as an operator would.</summary>
    async Task<string> ClientAsync(string role, string department)
    {
        var clientId = $"e2e-{role}-{department.ToLowerInvariant()}";
        if (platform.ClientSecrets.ContainsKey(clientId))
            return clientId;
        var response = await platform.SendAsync(
            HttpMethod.Post,
            "/api/clients",
            "admin",
            new
            {
                clientId,
                role,
                department,
            }
        );
        if (response.StatusCode == HttpStatusCode.Conflict)
            response = await platform.SendAsync(HttpMethod.Post, $"/api/clients/{clientId}/secret", "admin");
        var issued = await response.Content.ReadFromJsonAsync<JsonElement>();
        platform.UseClient(clientId, issued.GetProperty("clientSecret").GetString()!);
        return clientId;
    }
}
