using System.Security.Claims;
using Cnh.Contracts;
using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;

namespace Cnh.Submissions.Approval;

public enum ApprovalAction
{
    Approve,
    Unapprove,
    Accept,
    Return,
}

/// <summary>The answer to a step: the state it leads to, or why not (an HTTP status, a title, a detail, the field at fault).</summary>
public sealed record ApprovalDecision(
    ApprovalState? Next,
    int Status = 200,
    string? Title = null,
    string? Detail = null,
    string? Field = null
)
{
    public static ApprovalDecision Refuse(int status, string title, string detail) => new(null, status, title, detail);

    public static ApprovalDecision Invalid(string field, string message) => new(null, 422, Detail: message, Field: field);
}

/// <summary>
/// Who may take which step from which state, as plain rules: with two levels a department's approver approves (or
/// returns, or unapproves until accepted) its own department's values and the statistics office accepts (or returns)
/// approved ones; with one level the statistics office acts on submitted values directly. Admins may take any step.
/// Only the latest revision of a period is reviewed; an older one was superseded.
/// </summary>
public static class ApprovalRules
{
    public const string DepartmentStep = "department";
    public const string StatisticsStep = "statistics";

    /// <summary>The step a value in <paramref name="state"/> waits for with <paramref name="levels"/> levels, or null.</summary>
    public static string? AwaitedStep(int levels, ApprovalState state) =>
        (levels, state) switch
        {
            (2, ApprovalState.Submitted) => DepartmentStep,
            (2, ApprovalState.Approved) or (1, ApprovalState.Submitted) => StatisticsStep,
            _ => null,
        };

    public static ApprovalDecision Decide(
        ApprovalAction action,
        Submission submission,
        int latestRevision,
        int levels,
        ClaimsPrincipal user,
        string? comment
    )
    {
        if (levels == 0)
            return ApprovalDecision.Refuse(
                409,
                "No approval",
                "Values of this catalogue are official as they come; there is nothing to review."
            );
        if (submission.Revision != latestRevision)
            return ApprovalDecision.Refuse(
                409,
                "Superseded",
                $"Revision {submission.Revision} was superseded by revision {latestRevision}: review the latest one."
            );
        var admin = user.IsAdmin();
        var statistics = admin || user.IsInRole(Roles.Statistics);
        var approver = admin || (user.IsInRole(Roles.DepartmentApprover) && user.Department() == submission.Department);
        if (!admin && user.IsInRole(Roles.DepartmentApprover) && user.Department() != submission.Department)
            return ApprovalDecision.Refuse(403, "Not your department", $"The value belongs to department {submission.Department}.");
        var state = submission.Approval;
        var awaited = AwaitedStep(levels, state);
        var awaitsDepartment = awaited == DepartmentStep;
        var awaitsStatistics = awaited == StatisticsStep;
        switch (action)
        {
            case ApprovalAction.Approve:
                if (levels < 2)
                    return ApprovalDecision.Refuse(
                        409,
                        "No department approval",
                        "This catalogue's values go to the statistics office directly."
                    );
                if (!approver)
                    return WrongRole("approve", "the department's approver");
                return awaitsDepartment ? new(ApprovalState.Approved) : WrongState(state, "approved");
            case ApprovalAction.Unapprove:
                if (!approver)
                    return WrongRole("unapprove", "the department's approver");
                if (state == ApprovalState.Accepted)
                    return ApprovalDecision.Refuse(
                        409,
                        "Already accepted",
                        "The statistics office accepted this value; an admin must unlock the period, and a new revision be submitted."
                    );
                return levels == 2 && state == ApprovalState.Approved ? new(ApprovalState.Submitted) : WrongState(state, "unapproved");
            case ApprovalAction.Accept:
                if (!statistics)
                    return WrongRole("accept", "the statistics office");
                if (levels == 2 && state == ApprovalState.Submitted)
                    return ApprovalDecision.Refuse(409, "Not approved yet", "The department's approver must approve the value first.");
                return awaitsStatistics ? new(ApprovalState.Accepted) : WrongState(state, "accepted");
            default:
                if (awaitsDepartment && !approver)
                    return WrongRole("return", "the department's approver (it is not approved yet)");
                if (awaitsStatistics && !statistics)
                    return WrongRole("return", "the statistics office");
                if (!awaitsDepartment && !awaitsStatistics)
                    return WrongState(state, "returned");
                return string.IsNullOrWhiteSpace(comment)
                    ? ApprovalDecision.Invalid("comment", "Say what the department should correct: a returned value needs a comment.")
                    : new(ApprovalState.Returned);
        }
    }

    static ApprovalDecision WrongRole(string step, string whose) =>
        ApprovalDecision.Refuse(403, "Not your step", $"Only {whose} may {step} this value.");

    static ApprovalDecision WrongState(ApprovalState state, string step) =>
        ApprovalDecision.Refuse(
            409,
            $"Already {state.ToString().ToLowerInvariant()}",
            $"A value that is {state.ToString().ToLowerInvariant()} cannot be {step}."
        );
}
