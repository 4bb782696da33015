using Cnh.Contracts;
using Cnh.ServiceDefaults;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Cnh.Gateway.Auth;

/// <summary>
/// The gateway reads the caller's token to know whom to rate-limit, to refuse tokens of revoked clients, and to
/// authorize its own endpoints (<c>/api/clients</c>). It checks it with its own published keys; a proxied request
/// is otherwise never rejected here: each service validates the token itself and answers 401 or 403.
/// </summary>
public static class GatewayAuthentication
{
    public static void AddGatewayAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder
            .Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeys, TokenServerOptions>(
                (jwt, keys, options) =>
                {
                    jwt.RememberValidatedTokens();
                    jwt.MapInboundClaims = false;
                    jwt.TokenValidationParameters = new TokenValidationParameters
                    {
                        ValidIssuer = options.IssuerUri,
                        ValidAudience = options.Audience,
                        IssuerSigningKeys = keys.Published,
                        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                        NameClaimType = "sub",
                        RoleClaimType = CnhClaims.Role,
                        // The services' skew: a token expired for more than 30 s is refused here as there.
                        ClockSkew = TimeSpan.FromSeconds(30),
                    };
                }
            );
        // No fallback policy: proxied requests are authorized by the services; the gateway's own endpoints name their policy.
        builder.Services.AddCnhAuthorizationPolicies();
    }
}
