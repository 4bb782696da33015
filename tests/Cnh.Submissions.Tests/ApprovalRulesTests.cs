using System.Security.Claims;
using Cnh.Contracts;
using Cnh.Submissions.Approval;
using Cnh.Submissions.Data;

namespace Cnh.Submissions.Tests;

/// <summary>Who may take which approval step from which state, for two, one and no levels.</summary>
public class ApprovalRulesTests
{
    static ClaimsPrincipal User(string role, string? department = null) =>
        new(
            new ClaimsIdentity(
                [
                    new Claim(CnhClaims.Role, role),
                    new Claim(CnhClaims.ClientId, role),
                    .. department is null ? Array.Empty<Claim>() : [new Claim(CnhClaims.Department, department)],
                ],
                "test",
                "sub",
                CnhClaims.Role
            )
        );

    static readonly ClaimsPrincipal Approver = User(Roles.DepartmentApprover, "TC");
    static readonly ClaimsPrincipal OtherApprover = User(Roles.DepartmentApprover, "XD");
    static readonly ClaimsPrincipal Statistics = User(Roles.Statistics);
    static readonly ClaimsPrincipal Admin = User(Roles.Admin);

    static Submission Value(ApprovalState state, int revision = 1) =>
        new()
        {
            IndicatorCode = "KT01",
            Period = "2025",
            Revision = revision,
            Department = "TC",
            SubmittedBy = "dept-tc",
            Approval = state,
        };

    static ApprovalDecision Decide(
        ApprovalAction action,
        ApprovalState state,
        ClaimsPrincipal user,
        int levels = 2,
        string? comment = null
    ) => ApprovalRules.Decide(action, Value(state), 1, levels, user, comment);

    [Fact]
    public void When_two_levels_apply_the_approver_approves_and_the_statistics_office_accepts()
    {
        Decide(ApprovalAction.Approve, ApprovalState.Submitted, Approver).Next.Should().Be(ApprovalState.Approved);
        Decide(ApprovalAction.Accept, ApprovalState.Approved, Statistics).Next.Should().Be(ApprovalState.Accepted);
        Decide(ApprovalAction.Unapprove, ApprovalState.Approved, Approver).Next.Should().Be(ApprovalState.Submitted);
        Decide(ApprovalAction.Return, ApprovalState.Submitted, Approver, comment: "why").Next.Should().Be(ApprovalState.Returned);
        Decide(ApprovalAction.Return, ApprovalState.Approved, Statistics, comment: "why").Next.Should().Be(ApprovalState.Returned);
        Decide(ApprovalAction.Accept, ApprovalState.Approved, Admin).Next.Should().Be(ApprovalState.Accepted, "admins may take any step");
    }

    [Theory]
    [InlineData(ApprovalAction.Approve, ApprovalState.Submitted, "other", 403)]
    [InlineData(ApprovalAction.Approve, ApprovalState.Submitted, "statistics", 403)]
    [InlineData(ApprovalAction.Accept, ApprovalState.Approved, "approver", 403)]
    [InlineData(ApprovalAction.Accept, ApprovalState.Submitted, "statistics", 409)]
    [InlineData(ApprovalAction.Approve, ApprovalState.Approved, "approver", 409)]
    [InlineData(ApprovalAction.Unapprove, ApprovalState.Accepted, "approver", 409)]
    [InlineData(ApprovalAction.Return, ApprovalState.Submitted, "statistics", 403)]
    [InlineData(ApprovalAction.Return, ApprovalState.Accepted, "statistics", 409)]
    [InlineData(ApprovalAction.Accept, ApprovalState.Returned, "statistics", 409)]
    public void When_the_wrong_client_or_state_takes_a_step_it_is_refused(
        ApprovalAction action,
        ApprovalState state,
        string who,
        int status
    )
    {
        var user = who switch
        {
            "other" => OtherApprover,
            "statistics" => Statistics,
            _ => Approver,
        };
        var decision = Decide(action, state, user, comment: "a comment");
        decision.Next.Should().BeNull();
        decision.Status.Should().Be(status, decision.Detail);
    }

    [Fact]
    public void When_a_value_is_returned_without_a_comment_the_comment_field_is_named()
    {
        var decision = Decide(ApprovalAction.Return, ApprovalState.Submitted, Approver, comment: null);
        (decision.Next, decision.Status, decision.Field).Should().Be((null, 422, "comment"));
    }

    [Fact]
    public void When_one_level_applies_the_statistics_office_acts_on_submitted_values_and_there_is_no_department_step()
    {
        Decide(ApprovalAction.Accept, ApprovalState.Submitted, Statistics, levels: 1).Next.Should().Be(ApprovalState.Accepted);
        Decide(ApprovalAction.Return, ApprovalState.Submitted, Statistics, levels: 1, comment: "why")
            .Next.Should()
            .Be(ApprovalState.Returned);
        Decide(ApprovalAction.Approve, ApprovalState.Submitted, Approver, levels: 1).Status.Should().Be(409);
    }

    [Fact]
    public void When_no_level_applies_or_a_newer_revision_exists_nothing_is_reviewed()
    {
        Decide(ApprovalAction.Accept, ApprovalState.Accepted, Statistics, levels: 0).Status.Should().Be(409);
        ApprovalRules
            .Decide(ApprovalAction.Approve, Value(ApprovalState.Submitted), 2, 2, Approver, null)
            .Detail.Should()
            .Contain("superseded");
    }

    [Fact]
    public void When_levels_are_configured_per_catalogue_the_catalogue_s_own_apply_else_the_default()
    {
        var options = new ApprovalOptions { Catalogues = { ["pilot"] = 1, ["open"] = 0 } };
        (options.LevelsFor("pilot"), options.LevelsFor("open"), options.LevelsFor("hanoi-cnh-hdh-2030"), options.LevelsFor(null))
            .Should()
            .Be((1, 0, 2, 2));
    }
}
