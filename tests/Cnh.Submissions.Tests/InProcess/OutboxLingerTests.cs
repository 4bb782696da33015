using System.Net;
using System.Net.Http.Json;
using Cnh.Contracts;
using Cnh.Submissions.Data;
using Cnh.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cnh.Submissions.Tests.InProcess;

/// <summary>The outbox relay's linger, against the real database: commits close together leave in one claim.</summary>
public class OutboxLingerTests(OutboxLingerTests.Factory submissions) : IClassFixture<OutboxLingerTests.Factory>
{
    const int Linger = 1500;

    /// <summary>
    /// A linger long enough that the test's second commit surely falls within it, and no timed poll during the test:
    /// only the first commit wakes the relay.
    /// </summary>
    public sealed class Factory : ServiceFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Outbox:LingerMilliseconds", $"{Linger}");
            builder.UseSetting("Outbox:PollMilliseconds", "600000");
        }
    }

    [Fact]
    public async Task When_a_second_value_is_committed_while_the_relay_lingers_both_are_claimed_and_marked_together()
    {
        var code = await submissions.DefineIndicatorAsync("TC");
        // The relay is waiting, not lingering after an earlier commit (the catalogue catch-up's, at start).
        await Eventually.Async(UnsentAsync, unsent => unsent == 0, what: "the outbox sent");
        await Task.Delay(Linger + 500);

        var first = await SubmitAsync(code, "2024");
        await Task.Delay(200);
        var second = await SubmitAsync(code, "2025");

        var marks = await Eventually.Async(() => SentAtOfLatestAsync(2), m => m.Count == 2 && m.All(at => at != null), what: "both sent");
        (await submissions.Harness.PublishedCountAsync<SubmissionAccepted>(m => m.SubmissionId == first || m.SubmissionId == second))
            .Should()
            .Be(2);
        marks.Distinct().Should().ContainSingle("one claim marks its rows with one instant");
    }

    async Task<Guid> SubmitAsync(string code, string period)
    {
        var response = await submissions
            .AsDepartment("TC")
            .PostAsJsonAsync(
                "/api/submissions",
                new
                {
                    indicatorCode = code,
                    period,
                    value = 1.5,
                }
            );
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Accepted>())!.Id;
    }

    async Task<int> UnsentAsync()
    {
        await using var scope = submissions.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SubmissionsDb>().OutboxMessages.CountAsync(m => m.SentAt == null);
    }

    async Task<List<DateTimeOffset?>> SentAtOfLatestAsync(int count)
    {
        await using var scope = submissions.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SubmissionsDb>();
        return await db
            .OutboxMessages.Where(m => m.MessageType == typeof(SubmissionAccepted).FullName)
            .OrderByDescending(m => m.Sequence)
            .Take(count)
            .Select(m => m.SentAt)
            .ToListAsync();
    }

    sealed record Accepted(Guid Id);
}
