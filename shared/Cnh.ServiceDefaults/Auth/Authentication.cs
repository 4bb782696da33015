using System.Security.Claims;
using Cnh.Contracts;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Cnh.ServiceDefaults;

public static class Authentication
{
    /// <summary>Every service validates the JWT itself: signature (keys from the issuer's JWKS), issuer, audience, lifetime.</summary>
    public static void AddCnhAuthentication(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddHttpClient(nameof(SigningKeyRefresh), c => c.Timeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<SigningKeyRefresh>();
        builder.Services.AddSingleton<RevocationList>();
        builder.Services.AddSingleton<GatewaySecret>();
        builder.Services.AddHttpClient(RevocationListRefresh.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(3));
        builder.Services.AddHostedService<RevocationListRefresh>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder
            .Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeyRefresh, RevocationList>(
                (jwt, refresh, revocations) =>
                {
                    jwt.Events = new JwtBearerEvents
                    {
                        OnAuthenticationFailed = refresh.OnAuthenticationFailed,
                        OnTokenValidated = context =>
                        {
                            if (context.Principal is { } user && revocations.IsRevoked(user))
                                context.Fail("The token was revoked, or its client revoked or rotated.");
                            return Task.CompletedTask;
                        },
                    };
                    jwt.Authority = options.Authority;
                    jwt.RequireHttpsMetadata = options.Authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
                    jwt.RememberValidatedTokens();
                    jwt.MapInboundClaims = false;
                    jwt.RefreshOnIssuerKeyNotFound = true;
                    jwt.RefreshInterval = TimeSpan.FromSeconds(options.KeyRefreshSeconds);
                    jwt.AutomaticRefreshInterval = TimeSpan.FromMinutes(10);
                    jwt.TokenValidationParameters = new TokenValidationParameters
                    {
                        ValidIssuer = options.ValidIssuer,
                        ValidAudience = options.Audience,
                        ValidateIssuer = true,
                        ValidateAudience = true,
                        ValidateLifetime = true,
                        ValidateIssuerSigningKey = true,
                        RequireSignedTokens = true,
                        RequireExpirationTime = true,
                        ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256],
                        ClockSkew = TimeSpan.FromSeconds(30),
                        NameClaimType = "sub",
                        RoleClaimType = CnhClaims.Role,
                    };
                }
            );
        builder
            .Services.AddCnhAuthorizationPolicies()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }

    /// <summary>
    /// Validates each token with <see cref="RememberingTokenHandler"/>; the gateway's own scheme uses it too. Call it before
    /// setting <c>MapInboundClaims</c>, which applies to the handlers present.
    /// </summary>
    public static void RememberValidatedTokens(this JwtBearerOptions jwt)
    {
        jwt.TokenHandlers.Clear();
        // Token lifetimes run on the real clock, as their validation does, not on a rehearsal's Clock:Now.
        jwt.TokenHandlers.Add(new RememberingTokenHandler(TimeProvider.System));
    }

    /// <summary>The roles' policies; the gateway uses them too, for the endpoints it serves itself.</summary>
    public static AuthorizationBuilder AddCnhAuthorizationPolicies(this IServiceCollection services) =>
        services
            .AddAuthorizationBuilder()
            .AddPolicy(AuthorizationPolicies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(AuthorizationPolicies.Submitter, p => p.RequireRole(Roles.Admin, Roles.Department))
            .AddPolicy(AuthorizationPolicies.Reader, p => p.RequireRole(Roles.All))
            .AddPolicy(AuthorizationPolicies.SubmissionReader, p =>
                p.RequireRole(Roles.Admin, Roles.Department, Roles.DepartmentApprover, Roles.Statistics)
            )
            .AddPolicy(AuthorizationPolicies.Reviewer, p => p.RequireRole(Roles.Admin, Roles.DepartmentApprover, Roles.Statistics));

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    /// <summary>The department a department client (or its approver) acts for; null for admins, viewers and statistics.</summary>
    public static string? Department(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.Department) || user.IsInRole(Roles.DepartmentApprover) ? user.FindFirst(CnhClaims.Department)?.Value : null;

    /// <summary>
    /// The department a read is limited to: a department client's own (asking for another one is not allowed), else
    /// the one requested, if any. False when a department client asked for another department.
    /// </summary>
    public static bool TryScopeToDepartment(this ClaimsPrincipal user, string? requested, out string? scope)
    {
        var own = user.Department();
        scope = own ?? requested;
        return own is null || requested is null || requested == own;
    }

    public static Microsoft.AspNetCore.Http.IResult NotYourDepartment(this ClaimsPrincipal user) =>
        Microsoft.AspNetCore.Http.Results.Problem(
            statusCode: 403,
            title: "Not your department",
            detail: $"You may read department {user.Department()} only."
        );

    public static string ClientId(this ClaimsPrincipal user) =>
        user.FindFirst(CnhClaims.ClientId)?.Value ?? user.FindFirst("sub")?.Value ?? "unknown";
}
