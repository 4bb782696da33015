using System.Net;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;

namespace Cnh.EndToEnd.Tests;

/// <summary>
/// The platform under test tracks deadlines from 2026, checks them every second, and its submissions service believes
/// the day is 15 August 2026 (<see cref="Platform.SubmissionsClockStart"/>), so these hold on any day they run.
/// </summary>
[Collection(PlatformCollection.Name)]
public class DeadlineTests(Platform platform)
{
    [Fact]
    public async Task When_a_value_is_overdue_one_report_and_one_alert_appear_however_often_the_check_runs()
    {
        // Monthly, due the day a month ends: on 15 August 2026, January to July are overdue, except the one submitted.
        // The value is in before the due date shortens, so no check can run while it is on its way.
        await using var indicator = await TestIndicator.CreateAsync(platform, frequency: "monthly", dueDays: 700);
        (await platform.SubmitAsync(TestIndicator.Client, indicator.Code, "202602", 5)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (
            await platform.SendAsync(
                HttpMethod.Put,
                $"/api/catalogue/indicators/{indicator.Code}",
                "admin",
                TestIndicator.Definition(indicator.Code, frequency: "monthly", dueDays: 0)
            )
        )
            .StatusCode.Should()
            .Be(HttpStatusCode.OK);
        await indicator.WaitForReplicasAsync(2);
        string[] expected = ["202601", "202603", "202604", "202605", "202606", "202607"];

        var alerts = await Eventually.Async(
            () => OverdueAlertsAsync(indicator.Code),
            a => a.Count >= expected.Length,
            TimeSpan.FromSeconds(30),
            "overdue alerts",
            a => string.Join(",", a)
        );
        await Task.Delay(TimeSpan.FromSeconds(3)); // three more checks
        alerts = await OverdueAlertsAsync(indicator.Code);

        alerts.Should().BeEquivalentTo(expected, "one alert per missing period, none for the submitted one");
        (
            await platform.ScalarAsync(
                "submissions",
                "SELECT count(*) FROM deadline_reports WHERE indicator_code = @c AND notice = 'overdue'",
                ("c", indicator.Code)
            )
        )
            .Should()
            .Be(expected.Length);
        (
            await platform.ScalarAsync(
                "submissions",
                "SELECT count(*) FROM outbox_messages WHERE message_type = 'Cnh.Contracts.SubmissionOverdue' AND "
                    + "payload->>'indicatorCode' = @c",
                ("c", indicator.Code)
            )
        )
            .Should()
            .Be(expected.Length);
    }

    [Fact]
    public async Task When_values_are_due_soon_overdue_or_long_overdue_a_reminder_an_overdue_alert_and_an_escalation_appear_once_each()
    {
        // On 15 August 2026 (07:00 in Hanoi), quarterly values due 56 days after the quarter: 2026Q2 is due on 25 August
        // (the 15-day reminder), 2026Q1 was due on 26 May (overdue, and escalated after 7 days). Due 47 days after:
        // 2026Q2 is due on 16 August (the 3-day reminder only).
        await using var fifteen = await TestIndicator.CreateAsync(platform, frequency: "quarterly", dueDays: 700);
        await using var three = await TestIndicator.CreateAsync(platform, frequency: "quarterly", dueDays: 700);
        foreach (var (indicator, dueDays) in new[] { (fifteen, 56), (three, 47) })
            (
                await platform.SendAsync(
                    HttpMethod.Put,
                    $"/api/catalogue/indicators/{indicator.Code}",
                    "admin",
                    TestIndicator.Definition(indicator.Code, frequency: "quarterly", dueDays: dueDays)
                )
            )
                .StatusCode.Should()
                .Be(HttpStatusCode.OK);
        await fifteen.WaitForReplicasAsync(2);
        await three.WaitForReplicasAsync(2);
        string[] expected = ["2026Q1 SubmissionEscalated", "2026Q1 SubmissionOverdue", "2026Q2 SubmissionDueSoon"];

        foreach (var indicator in new[] { fifteen, three })
            await Eventually.Async(
                () => DeadlineAlertsAsync(indicator.Code),
                a => a.Count >= expected.Length,
                TimeSpan.FromSeconds(30),
                "deadline alerts",
                a => string.Join(",", a.Select(x => x.Key))
            );
        await Task.Delay(TimeSpan.FromSeconds(3)); // three more checks

        var first = await DeadlineAlertsAsync(fifteen.Code);
        first.Select(a => a.Key).Should().Equal(expected, "each notice once");
        first.Single(a => a.Key.EndsWith("DueSoon")).Message.Should().Contain("2026-08-25").And.Contain("15 days left");
        var second = await DeadlineAlertsAsync(three.Code);
        second.Select(a => a.Key).Should().Equal(expected);
        second.Single(a => a.Key.EndsWith("DueSoon")).Message.Should().Contain("2026-08-16").And.Contain("3 days left");
        second.Single(a => a.Key.EndsWith("Escalated")).Message.Should().Contain("7 days after its due date");
        (
            await platform.ScalarAsync(
                "submissions",
                "SELECT count(*) FROM deadline_reports WHERE indicator_code = @c AND period LIKE '2026Q%'",
                ("c", three.Code)
            )
        )
            .Should()
            .Be(3);
    }

    async Task<List<(string Key, string Message)>> DeadlineAlertsAsync(string code)
    {
        var feed = await platform.GetJsonAsync($"/api/notifications?indicator={code}", "admin");
        return feed.EnumerateArray()
            .Select(a =>
                (
                    Key: $"{a.GetProperty("period").GetString()} {a.GetProperty("kind").GetString()}",
                    Message: a.GetProperty("message").GetString()!
                )
            )
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .ToList();
    }

    [Fact]
    public async Task When_completeness_is_asked_for_a_year_each_expected_value_is_on_time_late_missing_or_not_yet_due()
    {
        await using var late = await TestIndicator.CreateAsync(platform, frequency: "quarterly", dueDays: 0);
        await using var generous = await TestIndicator.CreateAsync(platform, frequency: "quarterly", dueDays: 700);
        foreach (var (code, period) in new[] { (late.Code, "2026Q1"), (generous.Code, "2026Q1") })
            (await platform.SubmitAsync(TestIndicator.Client, code, period, 1)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var report = await platform.GetJsonAsync(
            $"/api/submissions/completeness?period=2026&department={TestIndicator.Department}",
            "viewer"
        );

        var department = report.GetProperty("departments").EnumerateArray().Single();
        department.GetProperty("department").GetString().Should().Be(TestIndicator.Department);
        var items = department
            .GetProperty("items")
            .EnumerateArray()
            .Where(i => i.GetProperty("indicatorCode").GetString() is var c && (c == late.Code || c == generous.Code))
            .ToDictionary(
                i => (i.GetProperty("indicatorCode").GetString(), i.GetProperty("period").GetString()),
                i => i.GetProperty("state").GetString()
            );
        items.Should().HaveCount(8, "two quarterly indicators expect four quarters each");
        // On 15 August 2026: Q1 came after its due date (31 March), Q2's passed without a value, Q3 and Q4 are not due.
        items[(late.Code, "2026Q1")].Should().Be("late");
        items[(late.Code, "2026Q2")].Should().Be("missing");
        items[(late.Code, "2026Q3")].Should().Be("notYetDue");
        items[(late.Code, "2026Q4")].Should().Be("notYetDue");
        items[(generous.Code, "2026Q1")].Should().Be("onTime");
        items[(generous.Code, "2026Q2")].Should().Be("notYetDue");
        department.GetProperty("late").GetInt32().Should().BeGreaterThanOrEqualTo(1);
        department.GetProperty("onTime").GetInt32().Should().BeGreaterThanOrEqualTo(1);
        department.GetProperty("expected").GetInt32().Should().Be(department.GetProperty("items").GetArrayLength());
        DateTimeOffset
            .Parse(report.GetProperty("asOf").GetString()!)
            .Should()
            .BeCloseTo(
                Platform.SubmissionsClockStart,
                TimeSpan.FromHours(1),
                "the report is as of the service's clock, not the day the test runs"
            );

        (await platform.SendAsync(HttpMethod.Get, "/api/submissions/completeness?period=2026&department=TC", TestIndicator.Client))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden, "a department reads its own completeness only");
        (await platform.SendAsync(HttpMethod.Get, "/api/submissions/completeness?period=26", "viewer"))
            .StatusCode.Should()
            .Be(HttpStatusCode.UnprocessableEntity);
        var all = await platform.GetJsonAsync("/api/submissions/completeness?period=2025", "viewer");
        all.GetProperty("departments").EnumerateArray().Sum(d => d.GetProperty("expected").GetInt32()).Should().BeGreaterThanOrEqualTo(26);
    }

    async Task<List<string>> OverdueAlertsAsync(string code)
    {
        var feed = await platform.GetJsonAsync($"/api/notifications?indicator={code}", "admin");
        return feed.EnumerateArray()
            .Where(a => a.GetProperty("kind").GetString() == "SubmissionOverdue")
            .Select(a => a.GetProperty("period").GetString()!)
            .ToList();
    }
}
