using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;

namespace Cnh.EndToEnd.Tests;

/// <summary>
/// A department's webhook cannot be turned into a probe of the platform's network. Addresses outside this machine are
/// only ever offered at subscription time (and refused there): nothing is sent off loopback.
/// </summary>
[Collection(PlatformCollection.Name)]
public class WebhookSafetyTests(Platform platform)
{
    [Theory]
    [InlineData("http://10.0.0.1/hooks")]
    [InlineData("http://167772161/hooks")] // 10.0.0.1 in decimal
    [InlineData("http://192.168.0.10:8080/hooks")]
    [InlineData("http://172.20.0.1/hooks")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://[fd12:3456::1]/")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://0.0.0.0:5083/")]
    public async Task When_a_department_subscribes_a_webhook_inside_the_network_it_gets_422_on_url_and_nothing_is_stored(string url)
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var response = await platform.SendAsync(
            HttpMethod.Post,
            "/api/subscriptions",
            TestIndicator.Client,
            new { channel = "webhook", url }
        );
        HostileReport.Count((int)response.StatusCode);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, await response.Content.ReadAsStringAsync());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("url")[0].GetString().Should().Contain("not a public address");
        (await platform.GetJsonAsync("/api/subscriptions", TestIndicator.Client))
            .EnumerateArray()
            .Should()
            .NotContain(s => s.GetProperty("url").GetString() == url);
    }

    [Fact]
    public async Task When_a_receiver_answers_with_a_redirect_the_signed_call_is_not_sent_on()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        await using var elsewhere = await WebhookReceiver.StartAsync();
        await using var bouncing = await WebhookReceiver.StartAsync();
        bouncing.RedirectTo = elsewhere.Url;
        var subscription = await SubscribeAsync(bouncing.Url, bouncing.Secret);
        try
        {
            await FallBehindAsync(indicator.Code);

            var delivery = await FailedDeliveryAsync(subscription);
            delivery.GetProperty("lastError").GetString().Should().Be("Webhook answered 307");
            bouncing.Received.Should().NotBeEmpty().And.OnlyContain(r => r.AnsweredWith == 307);
            elsewhere.Received.Should().BeEmpty("a redirect is not followed");
        }
        finally
        {
            await UnsubscribeAsync(subscription);
        }
    }

    [Fact]
    public async Task When_a_receiver_cannot_be_reached_the_department_reads_unreachable_without_the_platforms_network_detail()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var closedPort = TestEnvironment.FreePort();
        var subscription = await SubscribeAsync($"http://127.0.0.1:{closedPort}/hooks", null);
        try
        {
            await FallBehindAsync(indicator.Code);

            var delivery = await FailedDeliveryAsync(subscription);
            delivery.GetProperty("lastError").GetString().Should().Be("The receiver could not be reached.");
            var detail = await platform.GetJsonAsync($"/api/deliveries/{delivery.GetProperty("id").GetString()}", TestIndicator.Client);
            detail
                .GetProperty("attempts")
                .EnumerateArray()
                .Select(a => a.GetProperty("error").GetString())
                .Should()
                .NotBeEmpty()
                .And.OnlyContain(e => e == "The receiver could not be reached.");
        }
        finally
        {
            await UnsubscribeAsync(subscription);
        }
    }

    [Fact]
    public async Task When_a_webhook_secret_is_stored_a_database_dump_gives_neither_it_nor_the_key_that_opens_it()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        await using var receiver = await WebhookReceiver.StartAsync();
        var subscription = await SubscribeAsync(receiver.Url, receiver.Secret);
        try
        {
            var stored = await platform.Sandbox.TextAsync(
                "notifications",
                "SELECT secret FROM subscriptions WHERE id = @id",
                ("id", subscription)
            );
            stored.Should().StartWith("dp1:").And.NotContain(receiver.Secret);
            var keys = await platform.Sandbox.RowsAsync("notifications", "SELECT xml FROM data_protection_keys");
            keys.Should()
                .NotBeEmpty()
                .And.OnlyContain(
                    k => k.Contains("encryptedSecret") && !k.Contains("<masterKey"),
                    "the key ring is encrypted with the certificate kept outside the database"
                );

            // And the secret still signs: the receiver verifies the delivery.
            await FallBehindAsync(indicator.Code);
            await Eventually.Async(
                () => Task.FromResult(receiver.Received),
                r => r.Count > 0,
                TimeSpan.FromSeconds(30),
                "the webhook call"
            );
            receiver.Received.Should().OnlyContain(r => r.SignatureValid);
        }
        finally
        {
            await UnsubscribeAsync(subscription);
        }
    }

    async Task<Guid> SubscribeAsync(string url, string? secret)
    {
        var response = await platform.SendAsync(
            HttpMethod.Post,
            "/api/subscriptions",
            TestIndicator.Client,
            new
            {
                channel = "webhook",
                url,
                secret,
            }
        );
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subscription").GetProperty("id").GetGuid();
    }

    /// <summary>A base value and a lower one two years later: the indicator deteriorates and falls behind.</summary>
    async Task FallBehindAsync(string code)
    {
        foreach (var (period, value) in new[] { ("2022", 50.0), ("2024", 40.0) })
        {
            var response = await platform.SubmitAsync(TestIndicator.Client, code, period, value, note: "webhook safety test");
            response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>The FellBehind delivery once Failed (the test indicator's missing values may raise overdue alerts too).</summary>
    async Task<JsonElement> FailedDeliveryAsync(Guid subscription) =>
        (
            await Eventually.Async(
                async () =>
                    (await platform.GetJsonAsync($"/api/deliveries?subscription={subscription}", TestIndicator.Client))
                        .EnumerateArray()
                        .Where(d => d.GetProperty("kind").GetString() == "FellBehind")
                        .ToList(),
                d => d.Count == 1 && d[0].GetProperty("status").GetString() == "Failed",
                TimeSpan.FromSeconds(40),
                "the delivery to fail",
                d => string.Join(", ", d.Select(x => x.ToString()))
            )
        )[0];

    /// <summary>The test's subscription goes with the test, so later alerts of the E2E department do not try it.</summary>
    Task UnsubscribeAsync(Guid subscription) => platform.SendAsync(HttpMethod.Delete, $"/api/subscriptions/{subscription}", "admin");
}
