using Cnh.Contracts;
using Cnh.Submissions.Data;

namespace Cnh.Submissions.Approval;

/// <summary>The approval workflow's events about one revision, made one way wherever a step is taken.</summary>
public static class ApprovalEvents
{
    public static SubmissionApproved Approved(Submission s, string by, DateTimeOffset at) =>
        new(Guid.NewGuid(), at, s.Id, s.Revision, s.Department, s.IndicatorCode, s.Period, s.Value, by);

    public static SubmissionMadeOfficial MadeOfficial(Submission s, string by, DateTimeOffset at) =>
        new(Guid.NewGuid(), at, s.Id, s.Revision, s.Department, s.IndicatorCode, s.Period, s.Value, by);

    public static SubmissionReturned Returned(Submission s, string by, DateTimeOffset at, string comment) =>
        new(Guid.NewGuid(), at, s.Id, s.Revision, s.Department, s.IndicatorCode, s.Period, s.Value, by, comment);
}
