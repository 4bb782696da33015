using Cnh.Notifications.Alerts;
using Cnh.Notifications.Data;

namespace Cnh.Notifications.Tests;

/// <summary>Which subscriptions an alert reaches, by its rule (the same expression the database runs).</summary>
public class AlertAudienceTests
{
    static readonly Subscription[] Subscriptions =
    [
        new()
        {
            CreatedBy = "admin",
            Channel = "email",
            Department = null,
            Email = "lanh-dao@example.org",
        },
        new()
        {
            CreatedBy = "admin",
            Channel = "webhook",
            Department = "TC",
            Url = "https://tc.example.org/",
        },
        new()
        {
            CreatedBy = "admin",
            Channel = "webhook",
            Department = "XD",
            Url = "https://xd.example.org/",
        },
        new()
        {
            CreatedBy = "admin",
            Channel = "webhook",
            Department = "KT",
            Url = "https://kt.example.org/",
        },
    ];

    // TC is responsible, XD coordinates, KT has nothing to do with it.
    static readonly AlertCandidate Alert = new(
        Guid.NewGuid(),
        AlertKinds.FellBehind,
        "KT01",
        "KT",
        "TC",
        ["XD"],
        "OnTrack",
        "LimitedProgress",
        1.2,
        "2025",
        "KT01 fell behind."
    );

    static IEnumerable<string> Reached(bool leadership, bool responsible, bool coordinating)
    {
        var rule = new AlertRule
        {
            Kind = AlertKinds.FellBehind,
            Severity = "warning",
            NotifyLeadership = leadership,
            NotifyResponsible = responsible,
            NotifyCoordinating = coordinating,
        };
        return Subscriptions.Where(AlertAudience.Of(rule, Alert).Compile()).Select(s => s.Department ?? "leadership");
    }

    [Fact]
    public void When_the_rule_notifies_everyone_leadership_the_responsible_and_the_coordinating_department_are_reached_but_no_other() =>
        Reached(true, true, true).Should().BeEquivalentTo("leadership", "TC", "XD");

    [Fact]
    public void When_the_rule_notifies_only_the_responsible_department_only_it_is_reached() =>
        Reached(false, true, false).Should().BeEquivalentTo("TC");

    [Fact]
    public void When_the_rule_notifies_only_leadership_no_department_is_reached() =>
        Reached(true, false, false).Should().BeEquivalentTo("leadership");

    [Fact]
    public void When_the_rule_notifies_only_coordinating_departments_the_responsible_one_is_not_reached() =>
        Reached(false, false, true).Should().BeEquivalentTo("XD");

    [Fact]
    public void When_the_rule_notifies_nobody_nobody_is_reached() => Reached(false, false, false).Should().BeEmpty();
}
