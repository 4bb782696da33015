using System.Security.Claims;
using Cnh.Contracts;
using Cnh.Gateway.Data;
using Cnh.ServiceDefaults;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;

namespace Cnh.Gateway.Auth;

/// <summary>
/// The token endpoint's last step (OpenIddict has read the request and checked the client's secret): the claims the
/// services authorize by, from the client registry. And the revocation list the services poll.
/// </summary>
public static class TokenEndpoints
{
    public const string RevocationsPath = "/auth/revocations";

    public static void MapTokenEndpoints(this WebApplication app)
    {
        if (app.Services.GetRequiredService<SigningKeys>().GeneratedAt is { } path)
            app.Logger.LogWarning("Generated a development signing key at {Path}", path);
        app.MapPost(TokenServer.TokenPath, IssueToken).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapGet(RevocationsPath, Revocations).AllowAnonymous().ExcludeFromDescription();
    }

    static async Task<IResult> IssueToken(HttpContext http, GatewayDb db, TokenServerOptions options, CancellationToken ct)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenIddict request.");
        var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.ClientId == request.ClientId, ct);
        if (client is not { RevokedAt: null })
            return Results.Forbid(
                new AuthenticationProperties(
                    new Dictionary<string, string?>
                    {
                        [OpenIddictServerAspNetCoreConstants.Properties.Error] = OpenIddictConstants.Errors.InvalidClient,
                        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "Unknown client or wrong secret.",
                    }
                ),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]
            );

        var identity = new ClaimsIdentity(
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme,
            OpenIddictConstants.Claims.Subject,
            CnhClaims.Role
        );
        identity
            .SetClaim(OpenIddictConstants.Claims.Subject, client.ClientId)
            .SetClaim(CnhClaims.ClientId, client.ClientId)
            .SetClaim(CnhClaims.Role, client.Role)
            .SetClaim(CnhClaims.Department, client.Department)
            // Which secret the token was issued under (to the microsecond): a rotation in the same second still ends it.
            .SetClaim(RevocationList.SecretGenerationClaim, RevocationList.SecretGeneration(client.SecretIssuedAt));
        identity.SetAudiences(options.Audience);
        identity.SetDestinations(_ => [OpenIddictConstants.Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// What a service needs to refuse tokens the gateway would refuse: clients revoked or rotated, and tokens revoked,
    /// while their tokens can still be unexpired. With a gateway secret configured, only the services may read it.
    /// </summary>
    static IResult Revocations(HttpRequest request, RevocationListBuilder revocations, GatewaySecret gatewaySecret)
    {
        if (!gatewaySecret.IsSentWith(request.Headers[GatewayOnly.Header].ToString()))
            return Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "For the platform's services",
                detail: "The revocation list is read by the platform's services with the gateway's secret."
            );
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return Results.Ok(revocations.Revocations);
    }
}
