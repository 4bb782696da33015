using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;

namespace Cnh.EndToEnd.Tests;

/// <summary>Who changed where alerts go, and how: subscriptions, retried deliveries and alert rules are in the audit trail.</summary>
[Collection(PlatformCollection.Name)]
public class NotificationsAuditTests(Platform platform)
{
    [Fact]
    public async Task When_subscriptions_and_alert_rules_change_the_audit_trail_says_who_did_what_and_cannot_be_altered()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var created = await platform.SendAsync(
            HttpMethod.Post,
            "/api/subscriptions",
            TestIndicator.Client,
            new { channel = "email", email = "audit@example.org" }
        );
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subscription").GetProperty("id").GetGuid();
        (await platform.SendAsync(HttpMethod.Delete, $"/api/subscriptions/{id}", TestIndicator.Client))
            .StatusCode.Should()
            .Be(HttpStatusCode.NoContent);
        var rule = await platform.GetJsonAsync("/api/alert-rules", "viewer");
        var recovered = rule.EnumerateArray().Single(r => r.GetProperty("kind").GetString() == "Recovered");
        (
            await platform.SendAsync(
                HttpMethod.Put,
                "/api/alert-rules/Recovered",
                "admin",
                new { severity = recovered.GetProperty("severity").GetString() }
            )
        )
            .StatusCode.Should()
            .Be(HttpStatusCode.OK);

        var trail = await platform.GetJsonAsync($"/api/notifications/audit?entity=subscription&key={id}", "admin");
        trail
            .EnumerateArray()
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("clientId").GetString()))
            .Should()
            .BeEquivalentTo([("subscription.deleted", TestIndicator.Client), ("subscription.created", TestIndicator.Client)]);
        (await platform.GetJsonAsync("/api/notifications/audit?entity=alert-rule&key=Recovered&limit=1", "admin"))[0]
            .GetProperty("clientId")
            .GetString()
            .Should()
            .Be("admin");
        (await platform.SendAsync(HttpMethod.Get, "/api/notifications/audit", "viewer")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var tamper = async () => await platform.ScalarAsync("notifications", "DELETE FROM audit_entries");
        await tamper.Should().ThrowAsync<Npgsql.PostgresException>("audit rows cannot be removed");
    }
}
