using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;
using MimeKit;

namespace Cnh.EndToEnd.Tests;

/// <summary>The monthly PDF briefing mailed to leadership: on schedule, once, with the PDF attached; and on an admin's demand.</summary>
[Collection(PlatformCollection.Name)]
public class BriefingTests(Platform platform)
{
    /// <summary>The 5th of September 2026, 08:00 in Hanoi: the default due time of September's briefing.</summary>
    static readonly DateTimeOffset DueAt = new(2026, 9, 5, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task When_notifications_is_restarted_around_the_due_time_the_scheduled_briefing_reaches_leadership_once_with_the_PDF()
    {
        await using var leadership = await LeadershipMailboxAsync();
        var processes = new List<ServiceProcess>();
        try
        {
            // One instance runs up to shortly before the due time and is killed; the service comes back after it, while a
            // second instance runs through it. Both check every second.
            var early = Start(processes, "early", DueAt.AddSeconds(-25));
            await early.WaitReadyAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(2));
            early.Kill();
            (await Briefings()).Should().Be(0, "nothing is sent before the due time");

            var restarted = Start(processes, "restarted", DueAt.AddSeconds(3));
            var second = Start(processes, "second", DueAt.AddSeconds(-6));
            await Task.WhenAll(restarted.WaitReadyAsync(TimeSpan.FromSeconds(60)), second.WaitReadyAsync(TimeSpan.FromSeconds(60)));

            var mail = await Eventually.Async(
                () => Task.FromResult(leadership.Messages()),
                m => m.Count > 0,
                TimeSpan.FromSeconds(45),
                "the briefing in leadership's mailbox"
            );
            // Sent and recorded as sent: a kill between the mail server's answer and that record would send it again (at least
            // once, like every delivery), which is not what this test is about.
            await Eventually.Async(
                () =>
                    platform.ScalarAsync(
                        "notifications",
                        "SELECT count(*) FROM deliveries WHERE briefing_id IS NOT NULL AND subscription_id = @s AND status = 'Delivered'",
                        ("s", leadership.Id)
                    ),
                n => n == 1,
                TimeSpan.FromSeconds(15),
                "the briefing's delivery recorded"
            );

            // Restarted once more after sending, and given time for several checks: still one.
            restarted.Kill();
            second.Kill();
            var after = Start(processes, "after", DueAt.AddMinutes(2));
            await after.WaitReadyAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(5));

            leadership.Messages().Should().HaveCount(1, "each period's briefing goes once, whatever restarts and instances");
            (await Briefings()).Should().Be(1);
            var message = mail.Single();
            message.Subject.Should().Contain("tháng 09/2026").And.Contain("September 2026");
            message.TextBody.Should().Contain("Kính gửi Lãnh đạo");
            var pdf = message.Attachments.OfType<MimePart>().Single();
            pdf.ContentType.MimeType.Should().Be("application/pdf");
            pdf.FileName.Should().Be("ban-tin-cnh-hdh-2026-09.pdf");
            pdf.Content.Should().NotBeNull();
            using var bytes = new MemoryStream();
            await pdf.Content!.DecodeToAsync(bytes);
            bytes.ToArray()[..5].Should().Equal("%PDF-"u8.ToArray());
        }
        finally
        {
            foreach (var p in processes)
                p.Kill();
        }
    }

    [Fact]
    public async Task When_an_admin_previews_and_sends_now_leadership_gets_the_briefing_at_once_and_the_schedule_is_untouched()
    {
        await using var leadership = await LeadershipMailboxAsync();

        var preview = await platform.GetJsonAsync("/api/notifications/briefings/preview", "admin");
        preview.GetProperty("recipients").EnumerateArray().Select(r => r.GetString()).Should().Contain(leadership.Address);
        preview.GetProperty("subject").GetString().Should().Contain("Bản tin chỉ tiêu CNH-HĐH");
        preview.GetProperty("attachment").GetProperty("bytes").GetInt32().Should().BeGreaterThan(10_000);
        var pdf = await platform.SendAsync(HttpMethod.Get, "/api/notifications/briefings/preview.pdf", "admin");
        pdf.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        (await platform.SendAsync(HttpMethod.Get, "/api/notifications/briefings/preview", "viewer"))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden);
        (await platform.SendAsync(HttpMethod.Post, "/api/notifications/briefings", "viewer"))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden);
        var before = await Briefings();

        var sent = await platform.SendAsync(HttpMethod.Post, "/api/notifications/briefings", "admin");
        sent.StatusCode.Should().Be(HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());
        var id = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var mail = await Eventually.Async(
            () => Task.FromResult(leadership.Messages()),
            m => m.Count > 0,
            TimeSpan.FromSeconds(30),
            "the briefing"
        );
        mail.Single().Attachments.OfType<MimePart>().Single().ContentType.MimeType.Should().Be("application/pdf");
        var listed = await Eventually.Async(
            () => platform.GetJsonAsync("/api/notifications/briefings", "admin"),
            l =>
                l.EnumerateArray()
                    .Any(b => b.GetProperty("id").GetGuid() == id && b.GetProperty("deliveries").TryGetProperty("Delivered", out _)),
            TimeSpan.FromSeconds(15),
            "the briefing listed as delivered"
        );
        listed
            .EnumerateArray()
            .First(b => b.GetProperty("id").GetGuid() == id)
            .GetProperty("period")
            .ValueKind.Should()
            .Be(JsonValueKind.Null);
        (await Briefings()).Should().Be(before, "a briefing sent on demand is not a period's scheduled one");
    }

    /// <summary>Scheduled briefings (one per period) in notifications' database.</summary>
    Task<long> Briefings() => platform.ScalarAsync("notifications", "SELECT count(*) FROM briefings WHERE period IS NOT NULL");

    /// <summary>A notifications instance of its own whose clock starts at <paramref name="clock"/>, with the schedule on.</summary>
    ServiceProcess Start(List<ServiceProcess> processes, string name, DateTimeOffset clock)
    {
        var shared = platform.Services["notifications"];
        var port = TestEnvironment.FreePort();
        var env = new Dictionary<string, string>(shared.Environment)
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Clock__Now"] = clock.ToString("O"),
            ["Notifications__Briefing__Enabled"] = "true",
            ["Notifications__Briefing__CheckSeconds"] = "1",
        };
        var process = new ServiceProcess($"notifications-briefing-{name}", shared.Dll, port, env, Path.GetDirectoryName(shared.LogFile)!);
        processes.Add(process);
        process.Start();
        return process;
    }

    async Task<Mailbox> LeadershipMailboxAsync()
    {
        var address = $"leadership-{Guid.NewGuid():N}@example.org";
        var response = await platform.SendAsync(
            HttpMethod.Post,
            "/api/subscriptions",
            "admin",
            new
            {
                channel = "email",
                email = address,
                leadership = true,
            }
        );
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subscription").GetProperty("id").GetGuid();
        return new Mailbox(platform, address, id);
    }

    /// <summary>A leadership e-mail subscription of the test's own, deleted at the end so other tests' briefings skip it.</summary>
    sealed class Mailbox(Platform platform, string address, Guid id) : IAsyncDisposable
    {
        public string Address => address;
        public Guid Id => id;

        public List<MimeMessage> Messages() =>
            platform
                .Smtp.MimeMessages()
                .Where(m => m.To.Mailboxes.Any(a => a.Address == address) && (m.Subject ?? "").Contains("Bản tin"))
                .ToList();

        public async ValueTask DisposeAsync() => await platform.SendAsync(HttpMethod.Delete, $"/api/subscriptions/{id}", "admin");
    }
}
