using System.Security.Claims;
using Cnh.Contracts;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Cnh.ServiceDefaults;

public static class AuthorizationPolicies
{
    public const string Admin = "admin";
    public const string Submitter = "submitter";
    public const string Reader = "reader";
}
