using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;

namespace Cnh.EndToEnd.Tests;

/// <summary>One department's failing receivers cannot hold up another department's alerts.</summary>
[Collection(PlatformCollection.Name)]
public class DeliveryIsolationTests(Platform platform)
{
    [Fact]
    public async Task When_one_department_has_every_webhook_hanging_another_departments_alert_still_arrives_in_normal_time()
    {
        // A noisy department of its own, with as many subscriptions as it may have, all to a receiver that hangs and fails.
        var noisy = $"E2E-NOISY{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";
        (
            await platform.SendAsync(
                HttpMethod.Put,
                $"/api/catalogue/departments/{noisy}",
                "admin",
                new { nameVi = "Sở ồn ào", nameEn = "Noisy department" }
            )
        )
            .IsSuccessStatusCode.Should()
            .BeTrue();
        var noisyClient = await platform.DepartmentClientAsync(noisy);
        var noisyIndicator = await IndicatorOfAsync(noisy);

        await using var hanging = await WebhookReceiver.StartAsync();
        hanging.Delay = TimeSpan.FromSeconds(3);
        hanging.FailAll = true;
        var subscriptions = new List<Guid>();
        await using var victimIndicator = await TestIndicator.CreateAsync(platform);
        await using var victim = await WebhookReceiver.StartAsync();
        try
        {
            for (var i = 0; ; i++)
            {
                var response = await platform.SendAsync(
                    HttpMethod.Post,
                    "/api/subscriptions",
                    noisyClient,
                    new { channel = "webhook", url = hanging.Url + $"?n={i}" }
                );
                if (response.StatusCode == HttpStatusCode.Conflict)
                    break;
                response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
                subscriptions.Add(
                    (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subscription").GetProperty("id").GetGuid()
                );
                i.Should().BeLessThan(50, "a department's subscriptions are capped");
            }
            subscriptions.Should().HaveCount(10, "the default cap");
            var victimSubscription = await platform.SendAsync(
                HttpMethod.Post,
                "/api/subscriptions",
                TestIndicator.Client,
                new
                {
                    channel = "webhook",
                    url = victim.Url,
                    secret = victim.Secret,
                }
            );
            subscriptions.Add(
                (await victimSubscription.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subscription").GetProperty("id").GetGuid()
            );

            await FallBehindAsync(noisyClient, noisyIndicator);
            await Eventually.Async(
                () =>
                    platform.ScalarAsync(
                        "notifications",
                        "SELECT count(*) FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE "
                            + "s.department = @d AND d.attempts >= 1",
                        ("d", noisy)
                    ),
                n => n >= 3,
                TimeSpan.FromSeconds(20),
                "the noisy deliveries failing"
            );

            var clock = Stopwatch.StartNew();
            await FallBehindAsync(TestIndicator.Client, victimIndicator.Code);
            await Eventually.Async(
                () => Task.FromResult(victim.About(victimIndicator.Code)),
                r => r.Count > 0,
                TimeSpan.FromSeconds(30),
                "the victim's alert"
            );
            clock
                .Elapsed.Should()
                .BeLessThan(
                    TimeSpan.FromSeconds(5),
                    "ten hanging receivers of another department take at most its own share of the workers"
                );
        }
        finally
        {
            foreach (var id in subscriptions)
                await platform.SendAsync(HttpMethod.Delete, $"/api/subscriptions/{id}", "admin");
            await platform.SendAsync(HttpMethod.Post, $"/api/catalogue/indicators/{noisyIndicator}/retire", "admin");
        }
    }

    async Task<string> IndicatorOfAsync(string department)
    {
        var code = $"E2E-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";
        var definition = JsonSerializer.SerializeToNode(TestIndicator.Definition(code))!.AsObject();
        definition["responsibleDepartment"] = department;
        var response = await platform.SendAsync(HttpMethod.Post, "/api/catalogue/indicators", "admin", definition.ToJsonString());
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        await Eventually.Async(
            async () =>
                await platform.ScalarAsync("submissions", "SELECT count(*) FROM indicator_replicas WHERE code = @c", ("c", code))
                + await platform.ScalarAsync("scoring", "SELECT count(*) FROM indicator_definitions WHERE code = @c", ("c", code)),
            n => n == 2,
            TimeSpan.FromSeconds(30),
            $"replicas of {code}"
        );
        return code;
    }

    async Task FallBehindAsync(string client, string code)
    {
        foreach (var (period, value) in new[] { ("2022", 50.0), ("2024", 40.0) })
        {
            var response = await platform.SubmitAsync(client, code, period, value, note: "isolation test");
            response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }
    }
}
