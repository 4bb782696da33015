using Cnh.Gateway.Data;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Cnh.Gateway.Auth;

/// <summary>
/// The token server is OpenIddict: client credentials at <c>POST /auth/token</c>, its metadata at
/// <c>/.well-known/openid-configuration</c> and <c>/.well-known/jwks.json</c>, RFC 7009 revocation at
/// <c>/auth/revoke</c> and RFC 7662 introspection at <c>/auth/introspect</c>. Client secrets are OpenIddict's PBKDF2
/// hashes in <c>openiddict_applications</c>; who a client is (role, department) stays in <c>api_clients</c>.
/// Access tokens are signed, unencrypted JWTs (every service validates them with the JWKS) and stored, so that a
/// single token can be revoked.
/// </summary>
public static class TokenServer
{
    public const string TokenPath = "/auth/token";

    /// <summary>What every client may do: get tokens, and revoke or introspect its own.</summary>
    public static readonly string[] ClientPermissions =
    [
        OpenIddictConstants.Permissions.Endpoints.Token,
        OpenIddictConstants.Permissions.Endpoints.Revocation,
        OpenIddictConstants.Permissions.Endpoints.Introspection,
        OpenIddictConstants.Permissions.GrantTypes.ClientCredentials,
    ];

    public static void AddTokenServer(this WebApplicationBuilder builder)
    {
        var options = TokenServerOptions.From(builder.Configuration);
        var keys = new SigningKeys(options, builder.Environment);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(keys);
        builder
            .Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<GatewayDb>())
            .AddServer(server =>
            {
                server
                    .SetIssuer(new Uri(options.IssuerUri))
                    .SetTokenEndpointUris(TokenPath.TrimStart('/'))
                    .SetRevocationEndpointUris("auth/revoke")
                    .SetIntrospectionEndpointUris("auth/introspect")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks.json")
                    .AllowClientCredentialsFlow()
                    .SetAccessTokenLifetime(options.TokenLifetime)
                    // The services read the claims: signed, not encrypted. The encryption key only protects what
                    // OpenIddict keeps for itself, which no client-credentials flow outlives a restart with.
                    .DisableAccessTokenEncryption()
                    .AddEphemeralEncryptionKey();
                // The first key signs; every one is published, so tokens of the previous or next key stay valid.
                foreach (var key in keys.Published)
                    server.AddSigningKey(key);
                server.AddEventHandler<ApplyTokenResponseContext>(h => h.UseInlineHandler(WriteProblem).SetOrder(int.MinValue + 100_000));
                server.AddEventHandler<ApplyRevocationResponseContext>(h =>
                    h.UseInlineHandler(WriteProblem).SetOrder(int.MinValue + 100_000)
                );
                server.AddEventHandler<ApplyIntrospectionResponseContext>(h =>
                    h.UseInlineHandler(WriteProblem).SetOrder(int.MinValue + 100_000)
                );
                var aspNetCore = server.UseAspNetCore().EnableTokenEndpointPassthrough();
                if (!options.IssuerUri.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                    aspNetCore.DisableTransportSecurityRequirement();
            });
    }

    /// <summary>
    /// OAuth errors as RFC 9457 problem details that keep RFC 6749's <c>error</c> and <c>error_description</c>, like
    /// every other error of the platform; successful answers are OpenIddict's own.
    /// </summary>
    static async ValueTask WriteProblem<TContext>(TContext context)
        where TContext : BaseRequestContext
    {
        var response = context.Transaction.Response;
        if (response?.Error is not { } error)
            return;
        var http = context.Transaction.GetHttpRequest()?.HttpContext;
        if (http is null)
            return;
        var status = error switch
        {
            OpenIddictConstants.Errors.InvalidClient => StatusCodes.Status401Unauthorized,
            OpenIddictConstants.Errors.ServerError => StatusCodes.Status500InternalServerError,
            OpenIddictConstants.Errors.TemporarilyUnavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status400BadRequest,
        };
        http.Response.Headers.CacheControl = "no-store";
        await OAuthProblem(status, error, Describe(error, response.ErrorDescription)).ExecuteAsync(http);
        context.HandleRequest();
    }

    /// <summary>An RFC 9457 problem that also carries RFC 6749's <c>error</c> and <c>error_description</c>.</summary>
    public static IResult OAuthProblem(int status, string error, string description) =>
        Results.Problem(
            statusCode: status,
            title: error,
            detail: description,
            extensions: new Dictionary<string, object?> { ["error"] = error, ["error_description"] = description }
        );

    /// <summary>OpenIddict's descriptions name its own error ids and docs; the platform says what to do.</summary>
    static string Describe(string error, string? description) =>
        error switch
        {
            OpenIddictConstants.Errors.InvalidClient => "Unknown client or wrong secret.",
            OpenIddictConstants.Errors.UnsupportedGrantType => "Only grant_type=client_credentials is supported.",
            _ => description is null ? "The request is not valid." : RemoveErrorId(description),
        };

    static string RemoveErrorId(string description)
    {
        var id = description.IndexOf(" Error ID:", StringComparison.Ordinal);
        return id > 0 ? description[..id] : description;
    }
}
