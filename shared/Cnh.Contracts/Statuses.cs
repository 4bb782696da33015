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
}

public static class CnhClaims
{
    public const string Role = "role";
    public const string Department = "department";
    public const string ClientId = "client_id";
}
