using System.Net.Http.Json;
using Cnh.Contracts;
using Cnh.Submissions.Data;
using Cnh.Submissions.Deadlines;
using Cnh.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Cnh.Submissions.Tests.InProcess;

/// <summary>
/// The deadline watcher against the real database, driven by a fake clock through one quarter's reporting: each notice
/// once, however often it scans, and none once the value is in.
/// </summary>
public class DeadlineScannerTests(DeadlineScannerTests.Factory submissions) : IClassFixture<DeadlineScannerTests.Factory>
{
    /// <summary>
    /// The service's own scanner runs on the real clock as soon as the host starts, and would report this test's
    /// indicator by today's date: it is given a year to track from that never comes, and the test drives its own.
    /// </summary>
    public sealed class Factory : ServiceFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Submissions:Deadlines:TrackFromYear", "9999");
        }
    }

    [Fact]
    public async Task When_the_clock_passes_each_reminder_the_deadline_and_the_escalation_each_notice_is_published_once()
    {
        var defined = TestEvents.IndicatorDefined(TestEvents.NewCode(), "TC", "quarterly") with { DueDays = 0 };
        await submissions.DeliverAsync(defined);
        var code = defined.Code;
        // 2026Q1 is due on 31 March: in Hanoi that day ends at 17:00 UTC.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 15, 16, 59, 59, TimeSpan.Zero));
        var scanner = new DeadlineScanner(
            submissions.Services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new DeadlineOptions { TrackFromYear = 2026 }),
            clock,
            NullLogger<DeadlineScanner>.Instance
        );

        (await NoticesAfterScansAsync(scanner, code)).Should().BeEmpty();
        clock.Advance(TimeSpan.FromSeconds(1));
        (await NoticesAfterScansAsync(scanner, code)).Should().Equal("2026Q1 reminder-15");
        clock.SetUtcNow(new DateTimeOffset(2026, 3, 27, 17, 0, 0, TimeSpan.Zero));
        (await NoticesAfterScansAsync(scanner, code)).Should().Equal("2026Q1 reminder-15", "2026Q1 reminder-3");
        clock.SetUtcNow(new DateTimeOffset(2026, 3, 31, 16, 59, 59, TimeSpan.Zero));
        (await NoticesAfterScansAsync(scanner, code)).Should().HaveCount(2, "the due date has not ended in Hanoi");
        clock.Advance(TimeSpan.FromSeconds(1));
        (await NoticesAfterScansAsync(scanner, code)).Should().Equal("2026Q1 overdue", "2026Q1 reminder-15", "2026Q1 reminder-3");
        clock.SetUtcNow(new DateTimeOffset(2026, 4, 7, 17, 0, 0, TimeSpan.Zero));
        (await NoticesAfterScansAsync(scanner, code))
            .Should()
            .Equal("2026Q1 escalation", "2026Q1 overdue", "2026Q1 reminder-15", "2026Q1 reminder-3");

        // 2026Q2's value comes before its reminders: none is sent for it.
        (
            await submissions
                .AsDepartment("TC")
                .PostAsJsonAsync(
                    "/api/submissions",
                    new
                    {
                        indicatorCode = code,
                        period = "2026Q2",
                        value = 1.0,
                    }
                )
        ).EnsureSuccessStatusCode();
        clock.SetUtcNow(new DateTimeOffset(2026, 7, 15, 0, 0, 0, TimeSpan.Zero));
        (await NoticesAfterScansAsync(scanner, code)).Should().HaveCount(4);

        (await submissions.Harness.PublishedCountAsync<SubmissionDueSoon>(m => m.IndicatorCode == code, 2)).Should().Be(2);
        (await submissions.Harness.PublishedCountAsync<SubmissionOverdue>(m => m.IndicatorCode == code, 1)).Should().Be(1);
        var escalated = submissions.Harness.Published.Select<SubmissionEscalated>(m => m.Context.Message.IndicatorCode == code).Single();
        escalated
            .Context.Message.Should()
            .BeEquivalentTo(
                new
                {
                    Department = "TC",
                    Period = "2026Q1",
                    DaysOverdue = 7,
                }
            );
        escalated.Context.Message.DueDate.Should().Be(new DateOnly(2026, 3, 31));
        submissions
            .Harness.Published.Select<SubmissionDueSoon>(m => m.Context.Message.IndicatorCode == code)
            .Select(m => m.Context.Message.DaysLeft)
            .Should()
            .BeEquivalentTo([15, 3]);
    }

    /// <summary>Three scans, as three instances or three intervals would make, then what has been reported.</summary>
    async Task<List<string>> NoticesAfterScansAsync(DeadlineScanner scanner, string code)
    {
        for (var i = 0; i < 3; i++)
        {
            await using var scope = submissions.Services.CreateAsyncScope();
            await scanner.ScanAsync(scope.ServiceProvider.GetRequiredService<SubmissionsDb>(), CancellationToken.None);
        }
        await using var read = submissions.Services.CreateAsyncScope();
        return await read
            .ServiceProvider.GetRequiredService<SubmissionsDb>()
            .DeadlineReports.Where(r => r.IndicatorCode == code)
            .OrderBy(r => r.Period)
            .ThenBy(r => r.Notice)
            .Select(r => r.Period + " " + r.Notice)
            .ToListAsync();
    }
}
