namespace Cnh.ServiceDefaults;

public static class AuthorizationPolicies
{
    public const string Admin = "admin";
    public const string Submitter = "submitter";
    public const string Reader = "reader";
}
