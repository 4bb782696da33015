using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.Contracts;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;

namespace Cnh.EndToEnd.Tests;

/// <summary>
/// Alerts reach people: email through a real SMTP server, signed webhooks to a receiver that checks them, retries that
/// end in exactly one accepted delivery, a restart in the middle, and failures an operator can see and re-trigger.
/// Each test makes an indicator of its own (a copy of a seed indicator's definition, reported and coordinated by
/// departments of its own) fall behind with two values: base in 2022, a lower one in 2024.
/// </summary>
[Collection(PlatformCollection.Name)]
public class AlertDeliveryTests(Platform platform)
{
    [Fact]
    public async Task When_an_indicator_falls_behind_an_email_reaches_the_departments_mailbox()
    {
        // One department reports the indicator and another coordinates it: the fell-behind rule tells coordinators too.
        var (reporter, coordinator) = (await TestDepartment.CreateAsync(platform), await TestDepartment.CreateAsync(platform));
        await using var indicator = await TestIndicator.CopyOfAsync(platform, "XH07", reporter.Code, coordinator.Code);
        var mailbox = $"{coordinator.Client}@example.org";
        var created = await SubscribeAsync(coordinator.Client, new { channel = "email", email = mailbox });

        await FallBehindAsync(reporter.Client, indicator.Code, 90, 88);

        var mail = await Eventually.Async(
            () => Task.FromResult(platform.Smtp.Messages().FirstOrDefault(m => m.Contains(indicator.Code))),
            m => m is not null,
            TimeSpan.FromSeconds(30),
            "the email in the SMTP server's mailbox"
        );
        mail.Should().Contain($"To: {mailbox}").And.Contain($"{indicator.Code} fell behind");
        var delivery = await SingleDeliveryAsync(coordinator.Client, created, indicator.Code, "Delivered");
        delivery.GetProperty("attempts").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task When_a_webhook_receiver_fails_three_times_then_succeeds_it_accepts_exactly_one_signed_delivery()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailFirst = 3;
        var department = await TestDepartment.CreateAsync(platform);
        await using var indicator = await TestIndicator.CopyOfAsync(platform, "MT02", department.Code);
        var created = await SubscribeWebhookAsync(department.Client, receiver);

        await FallBehindAsync(department.Client, indicator.Code, 85, 80);

        var delivery = await SingleDeliveryAsync(department.Client, created, indicator.Code, "Delivered");
        var calls = receiver.About(indicator.Code);
        calls.Should().HaveCount(4);
        calls.Count(c => c.AnsweredWith == 200).Should().Be(1);
        calls.Should().OnlyContain(r => r.SignatureValid && r.DeliveryId == delivery.GetProperty("id").GetString());
        var detail = await platform.GetJsonAsync($"/api/deliveries/{delivery.GetProperty("id").GetString()}", department.Client);
        detail
            .GetProperty("attempts")
            .EnumerateArray()
            .Select(a => (a.GetProperty("number").GetInt32(), a.GetProperty("succeeded").GetBoolean()))
            .Should()
            .Equal((1, false), (2, false), (3, false), (4, true));
        var alert = JsonDocument.Parse(calls[^1].Body).RootElement.GetProperty("alerts")[0];
        alert.GetProperty("indicatorCode").GetString().Should().Be(indicator.Code);
        alert.GetProperty("kind").GetString().Should().Be("FellBehind");

        // The same status change delivered again raises nothing new.
        await RedeliverStatusChangeAsync(indicator.Code);
        await SingleDeliveryAsync(department.Client, created, indicator.Code, "Delivered");
        receiver.About(indicator.Code).Count(c => c.AnsweredWith == 200).Should().Be(1);
    }

    [Fact]
    public async Task When_a_webhook_call_is_replayed_or_its_body_tampered_with_the_documented_check_rejects_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var department = await TestDepartment.CreateAsync(platform);
        await using var indicator = await TestIndicator.CopyOfAsync(platform, "KT03", department.Code);
        await SubscribeWebhookAsync(department.Client, receiver);
        await FallBehindAsync(department.Client, indicator.Code, 15, 14);
        var call = (await Eventually.Async(() => Task.FromResult(receiver.Received), r => r.Count > 0, what: "a webhook call"))[0];

        call.SignatureValid.Should().BeTrue();
        WebhookSignature.Verify(receiver.Secret, call.Timestamp, call.Body, call.Signature, DateTimeOffset.UtcNow).Should().BeTrue();
        WebhookSignature
            .Verify(receiver.Secret, call.Timestamp, call.Body.Replace("FellBehind", "Recovered"), call.Signature, DateTimeOffset.UtcNow)
            .Should()
            .BeFalse("a changed body no longer matches its signature");
        WebhookSignature
            .Verify(receiver.Secret, call.Timestamp, call.Body, call.Signature, DateTimeOffset.UtcNow.AddMinutes(10))
            .Should()
            .BeFalse("a call replayed ten minutes later is outside the tolerance");
        WebhookSignature
            .Verify(receiver.Secret, (long.Parse(call.Timestamp!) + 60).ToString(), call.Body, call.Signature, DateTimeOffset.UtcNow)
            .Should()
            .BeFalse("the timestamp is part of what is signed");
        WebhookSignature.Verify("another-secret", call.Timestamp, call.Body, call.Signature, DateTimeOffset.UtcNow).Should().BeFalse();
    }

    [Fact]
    public async Task When_notifications_is_killed_during_retries_the_alert_is_still_delivered_exactly_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailFirst = 2;
        // One department reports the indicator, another coordinates it and subscribes: coordinators are notified too.
        var (reporter, coordinator) = (await TestDepartment.CreateAsync(platform), await TestDepartment.CreateAsync(platform));
        await using var indicator = await TestIndicator.CopyOfAsync(platform, "MT03", reporter.Code, coordinator.Code);
        var created = await SubscribeWebhookAsync(coordinator.Client, receiver, department: coordinator.Code);
        var notifications = platform.Services["notifications"];

        await FallBehindAsync(reporter.Client, indicator.Code, 88, 84);
        await Eventually.Async(() => Task.FromResult(receiver.Received.Count), n => n >= 1, what: "the first (failing) call");
        notifications.Kill();
        notifications.Start();
        await notifications.WaitReadyAsync(TimeSpan.FromSeconds(60));

        await SingleDeliveryAsync(coordinator.Client, created, indicator.Code, "Delivered", TimeSpan.FromSeconds(60));
        receiver.About(indicator.Code).Count(c => c.AnsweredWith == 200).Should().Be(1);
        receiver.About(indicator.Code).Select(r => r.DeliveryId).Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task When_every_attempt_fails_the_delivery_is_failed_visible_and_can_be_sent_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailAll = true;
        var (department, another) = (await TestDepartment.CreateAsync(platform), await TestDepartment.CreateAsync(platform));
        await using var indicator = await TestIndicator.CopyOfAsync(platform, "DT05", department.Code);
        var created = await SubscribeWebhookAsync(department.Client, receiver);

        await FallBehindAsync(department.Client, indicator.Code, 90, 85);

        var failed = await SingleDeliveryAsync(department.Client, created, indicator.Code, "Failed", TimeSpan.FromSeconds(60));
        failed.GetProperty("attempts").GetInt32().Should().Be(5);
        failed.GetProperty("lastError").GetString().Should().NotBeNullOrEmpty();
        var listed = await platform.GetJsonAsync("/api/deliveries?status=Failed", department.Client);
        listed.EnumerateArray().Select(d => d.GetProperty("id").GetString()).Should().Contain(failed.GetProperty("id").GetString());

        receiver.FailAll = false;
        var id = failed.GetProperty("id").GetString();
        (await platform.SendAsync(HttpMethod.Post, $"/api/deliveries/{id}/retry", another.Client))
            .StatusCode.Should()
            .Be(HttpStatusCode.NotFound);
        (await platform.SendAsync(HttpMethod.Post, $"/api/deliveries/{id}/retry", department.Client))
            .StatusCode.Should()
            .Be(HttpStatusCode.Accepted);
        await SingleDeliveryAsync(department.Client, created, indicator.Code, "Delivered", TimeSpan.FromSeconds(30));
        receiver.About(indicator.Code).Count(c => c.AnsweredWith == 200).Should().Be(1);
        (await platform.SendAsync(HttpMethod.Post, $"/api/deliveries/{id}/retry", department.Client))
            .StatusCode.Should()
            .Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task When_a_subscription_asks_for_a_digest_its_alerts_arrive_together_in_one_message()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // One department reports one indicator and coordinates another: two alerts for its one digest subscription.
        var (department, reporter) = (await TestDepartment.CreateAsync(platform), await TestDepartment.CreateAsync(platform));
        await using var reported = await TestIndicator.CopyOfAsync(platform, "XH09", department.Code);
        await using var coordinated = await TestIndicator.CopyOfAsync(platform, "XH03", reporter.Code, department.Code);
        var created = await SubscribeWebhookAsync(department.Client, receiver, digest: true);

        await Task.WhenAll(
            FallBehindAsync(department.Client, reported.Code, 70, 65),
            FallBehindAsync(reporter.Client, coordinated.Code, 0.70, 0.69)
        );

        await Eventually.Async(
            () =>
                platform.ScalarAsync(
                    "notifications",
                    "SELECT count(*) FROM deliveries WHERE subscription_id = @s AND status = 'Delivered'",
                    ("s", created)
                ),
            n => n == 2,
            TimeSpan.FromSeconds(30),
            "both digest deliveries sent"
        );
        receiver.Received.Should().ContainSingle();
        var digest = JsonDocument.Parse(receiver.Received[0].Body).RootElement;
        digest.GetProperty("digest").GetBoolean().Should().BeTrue();
        digest
            .GetProperty("alerts")
            .EnumerateArray()
            .Select(a => a.GetProperty("indicatorCode").GetString())
            .Should()
            .BeEquivalentTo([reported.Code, coordinated.Code]);
    }

    [Fact]
    public async Task When_a_department_subscribes_for_another_department_or_leadership_it_gets_403()
    {
        (
            await platform.SendAsync(
                HttpMethod.Post,
                "/api/subscriptions",
                "dept-xd",
                new
                {
                    channel = "email",
                    email = "a@example.org",
                    department = "TC",
                }
            )
        ).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (
            await platform.SendAsync(
                HttpMethod.Post,
                "/api/subscriptions",
                "dept-xd",
                new
                {
                    channel = "email",
                    email = "a@example.org",
                    leadership = true,
                }
            )
        ).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var invalid = await platform.SendAsync(
            HttpMethod.Post,
            "/api/subscriptions",
            "dept-xd",
            new { channel = "webhook", url = "ftp://x" }
        );
        invalid.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("url", out _).Should().BeTrue();
        (
            await platform.SendAsync(
                HttpMethod.Post,
                "/api/subscriptions",
                "admin",
                new
                {
                    channel = "email",
                    email = "lanh-dao@example.org",
                    leadership = true,
                }
            )
        ).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task When_an_admin_disables_a_rule_that_kind_of_alert_is_no_longer_raised()
    {
        (await platform.SendAsync(HttpMethod.Put, "/api/alert-rules/MilestoneMissed", "dept-tk", new { enabled = false }))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden);
        (await platform.SendAsync(HttpMethod.Put, "/api/alert-rules/MilestoneMissed", "admin", new { enabled = false }))
            .StatusCode.Should()
            .Be(HttpStatusCode.OK);
        await using var indicator = await TestIndicator.CopyOfAsync(platform, "DT04");
        try
        {
            // A copy of DT04: 100% by 2025; 95 in 2025 misses the milestone, but the rule is off.
            (await platform.SubmitAsync(TestIndicator.Client, indicator.Code, "2025", 95)).StatusCode.Should().Be(HttpStatusCode.Accepted);
            // This very event, from scoring's outbox once sent, then in notifications' inbox: consumed, and no alert.
            var eventId = await Eventually.Async(
                () =>
                    platform.Sandbox.TextAsync(
                        "scoring",
                        "SELECT message_id::text FROM outbox_messages WHERE message_type = "
                            + "'Cnh.Contracts.MilestoneEvaluated' AND payload->>'indicatorCode' = @c AND sent_at IS NOT NULL",
                        ("c", indicator.Code)
                    ),
                id => id is not null,
                what: "the missed milestone published"
            );
            await Eventually.Async(
                () =>
                    platform.ScalarAsync(
                        "notifications",
                        "SELECT count(*) FROM processed_messages WHERE consumer = 'MilestoneEvaluatedConsumer' AND message_id = @id",
                        ("id", Guid.Parse(eventId!))
                    ),
                n => n == 1,
                what: "notifications to consume that event"
            );
            (
                await platform.ScalarAsync(
                    "notifications",
                    "SELECT count(*) FROM alerts WHERE indicator_code = @c AND kind = 'MilestoneMissed'",
                    ("c", indicator.Code)
                )
            )
                .Should()
                .Be(0);
        }
        finally
        {
            await platform.SendAsync(HttpMethod.Put, "/api/alert-rules/MilestoneMissed", "admin", new { enabled = true });
        }
    }

    /// <summary>A webhook subscription to the receiver, for the client's own department or the one given; or a digest.</summary>
    Task<Guid> SubscribeWebhookAsync(string client, WebhookReceiver receiver, string? department = null, bool digest = false) =>
        SubscribeAsync(
            client,
            new
            {
                channel = "webhook",
                url = receiver.Url,
                secret = receiver.Secret,
                department,
                digest,
            }
        );

    async Task<Guid> SubscribeAsync(string client, object body)
    {
        var response = await platform.SendAsync(HttpMethod.Post, "/api/subscriptions", client, body);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subscription").GetProperty("id").GetGuid();
    }

    /// <summary>A base value for 2022 and a lower one for 2024: the indicator deteriorates, a first status that is behind.</summary>
    async Task FallBehindAsync(string client, string indicator, double base2022, double lower2024)
    {
        (await platform.SubmitAsync(client, indicator, "2022", base2022)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var second = await platform.SubmitAsync(client, indicator, "2024", lower2024);
        second.StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    /// <summary>Waits until the subscription's one delivery about the indicator has the status.</summary>
    async Task<JsonElement> SingleDeliveryAsync(string client, Guid subscription, string indicator, string status, TimeSpan? timeout = null)
    {
        var deliveries = await Eventually.Async(
            async () =>
                (await platform.GetJsonAsync($"/api/deliveries?subscription={subscription}", client))
                    .EnumerateArray()
                    .Where(d =>
                        d.GetProperty("indicatorCode").GetString() == indicator && d.GetProperty("kind").GetString() == "FellBehind"
                    )
                    .ToList(),
            d => d.Count == 1 && d[0].GetProperty("status").GetString() == status,
            timeout ?? TimeSpan.FromSeconds(30),
            $"one {status} delivery about {indicator}",
            d => string.Join("; ", d.Select(x => x.ToString()))
        );
        return deliveries[0];
    }

    /// <summary>Publishes scoring's own IndicatorStatusChanged for the indicator again and waits until notifications consumed it.</summary>
    async Task RedeliverStatusChangeAsync(string indicator)
    {
        var payload = await platform.Sandbox.TextAsync(
            "scoring",
            "SELECT payload::text FROM outbox_messages WHERE message_type = 'Cnh.Contracts.IndicatorStatusChanged' AND "
                + "payload->>'indicatorCode' = @i ORDER BY sequence DESC LIMIT 1",
            ("i", indicator)
        );
        await platform.RedeliverAsync(
            JsonSerializer.Deserialize<IndicatorStatusChanged>(payload!, JsonSerializerOptions.Web)!,
            "notifications"
        );
    }
}
