namespace Cnh.ServiceDefaults;

public static class AuthorizationPolicies
{
    public const string Admin = "admin";
    public const string Submitter = "submitter";
    public const string Reader = "reader";

    /// <summary>Those who see submissions: departments, their approvers, the statistics office and admins.</summary>
    public const string SubmissionReader = "submission-reader";

    /// <summary>Those who take an approval step (which step is theirs is the workflow's rule, not the policy's).</summary>
    public const string Reviewer = "reviewer";
}
