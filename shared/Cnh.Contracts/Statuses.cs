namespace Cnh.Contracts;

/// <summary>Status names as they travel in events and JSON; ordered from best to worst where that matters.</summary>
public static class IndicatorStatuses
{
    public const string TargetAchieved = nameof(TargetAchieved);
    public const string OnTrack = nameof(OnTrack);
    public const string NeedsAcceleration = nameof(NeedsAcceleration);
    public const string LimitedProgress = nameof(LimitedProgress);
    public const string Deteriorating = nameof(Deteriorating);
    public const string NotAvailable = nameof(NotAvailable);
}

/// <summary>What a status change means for alerting.</summary>
public static class StatusTransitions
{
    public const string FellBehind = nameof(FellBehind);
    public const string Recovered = nameof(Recovered);
    public const string Improved = nameof(Improved);
    public const string Other = nameof(Other);
}

public static class Roles
{
    public const string Admin = "admin";
    public const string Department = "department";
    public const string Viewer = "viewer";

    /// <summary>Approves (or returns) its department's submitted values: the approval workflow's first step.</summary>
    public const string DepartmentApprover = "department-approver";

    /// <summary>The statistics office: accepts (or returns) approved values for every indicator, making them official.</summary>
    public const string Statistics = "statistics";

    public static readonly string[] All = [Admin, Department, Viewer, DepartmentApprover, Statistics];

    /// <summary>The roles whose clients act for one department (the token carries its code).</summary>
    public static bool BelongsToDepartment(string? role) => role is Department or DepartmentApprover;
}

public static class CnhClaims
{
    public const string Role = "role";
    public const string Department = "department";
    public const string ClientId = "client_id";
}
