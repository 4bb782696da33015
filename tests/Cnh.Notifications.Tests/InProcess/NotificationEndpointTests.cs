using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.Contracts;
using Cnh.Testing;

namespace Cnh.Notifications.Tests.InProcess;

/// <summary>Notifications in process: status changes arrive as events; alerts and subscriptions through the real API.</summary>
public class NotificationEndpointTests(ServiceFactory<Program> notifications) : IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task When_an_indicator_falls_behind_its_department_and_coordinators_see_the_alert_and_others_do_not()
    {
        var code = TestEvents.NewCode();
        var changed = FellBehind(code, "OnTrack", "LimitedProgress", coordinating: ["KHDT"]);

        await notifications.DeliverAsync(changed);

        var feed = await notifications.AsDepartment("TC").GetFromJsonAsync<JsonElement>($"/api/notifications?indicator={code}");
        var alert = feed.EnumerateArray().Should().ContainSingle().Subject;
        alert.GetProperty("kind").GetString().Should().Be("FellBehind");
        alert.GetProperty("message").GetString().Should().Be($"{code} fell behind: OnTrack → LimitedProgress (period 2024).");
        (await notifications.AsDepartment("KHDT").GetFromJsonAsync<JsonElement>($"/api/notifications?indicator={code}"))
            .GetArrayLength()
            .Should()
            .Be(1);
        (await notifications.AsDepartment("XD").GetFromJsonAsync<JsonElement>($"/api/notifications?indicator={code}"))
            .GetArrayLength()
            .Should()
            .Be(0);
    }

    [Fact]
    public async Task When_reminders_are_switched_off_by_their_rule_a_due_soon_value_raises_nothing_and_escalations_still_go()
    {
        var code = TestEvents.NewCode();
        var due = new DateOnly(2026, 3, 31);
        await notifications.DeliverAsync(new SubmissionDueSoon(Guid.NewGuid(), DateTimeOffset.UtcNow, "TC", code, "2026Q1", due, 15));
        async Task<List<string>> FeedAsync() =>
            (await notifications.AsDepartment("TC").GetFromJsonAsync<JsonElement>($"/api/notifications?indicator={code}"))
                .EnumerateArray()
                .Select(a => $"{a.GetProperty("kind").GetString()}: {a.GetProperty("message").GetString()}")
                .ToList();
        (await FeedAsync())
            .Should()
            .Equal($"SubmissionDueSoon: {code} for 2026Q1 is due on 2026-03-31 (15 days left) and has not been submitted.");

        var off = await notifications.AsAdmin().PutAsJsonAsync("/api/alert-rules/SubmissionDueSoon", new { enabled = false });
        off.StatusCode.Should().Be(HttpStatusCode.OK);
        try
        {
            await notifications.DeliverAsync(new SubmissionDueSoon(Guid.NewGuid(), DateTimeOffset.UtcNow, "TC", code, "2026Q1", due, 3));
            await notifications.DeliverAsync(new SubmissionEscalated(Guid.NewGuid(), DateTimeOffset.UtcNow, "TC", code, "2026Q1", due, 7));
            (await FeedAsync())
                .Should()
                .HaveCount(2)
                .And.Contain($"SubmissionEscalated: {code} for 2026Q1 from TC is still missing 7 days after its due date (2026-03-31).");
        }
        finally
        {
            await notifications.AsAdmin().PutAsJsonAsync("/api/alert-rules/SubmissionDueSoon", new { enabled = true });
        }
    }

    [Fact]
    public async Task When_the_same_status_change_arrives_twice_one_alert_is_raised()
    {
        var code = TestEvents.NewCode();
        var changed = FellBehind(code, null, "Deteriorating");

        await notifications.Harness.Bus.Publish(changed);
        await notifications.Harness.Bus.Publish(changed);

        (await notifications.Harness.ConsumedCountAsync<IndicatorStatusChanged>(m => m.EventId == changed.EventId, 2)).Should().Be(2);
        (await notifications.AsAdmin().GetFromJsonAsync<JsonElement>($"/api/notifications?indicator={code}"))
            .GetArrayLength()
            .Should()
            .Be(1);
    }

    [Theory]
    [InlineData("""{"channel":"webhook","url":"ftp://example.org/hook"}""", "url")]
    [InlineData("""{"channel":"email","email":"not an address"}""", "email")]
    [InlineData("""{"channel":"pigeon"}""", "channel")]
    public async Task When_a_subscription_is_invalid_it_gets_422_naming_the_field(string body, string field)
    {
        var response = await notifications
            .AsDepartment("TC")
            .PostAsync("/api/subscriptions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue();
    }

    [Fact]
    public async Task When_a_department_subscribes_for_another_department_it_gets_403()
    {
        var response = await notifications
            .AsDepartment("XD")
            .PostAsJsonAsync(
                "/api/subscriptions",
                new
                {
                    channel = "email",
                    email = "a@example.org",
                    department = "TC",
                }
            );

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    /// <summary>Scoring's event for an indicator of TC that fell behind in 2024.</summary>
    static IndicatorStatusChanged FellBehind(string code, string? previous, string status, IReadOnlyList<string>? coordinating = null) =>
        new(
            Guid.NewGuid(),
            DateTimeOffset.UtcNow,
            code,
            "KT",
            "TC",
            coordinating ?? [],
            previous,
            status,
            StatusTransitions.FellBehind,
            -1.2,
            "2024",
            Guid.NewGuid()
        );
}
