using Cnh.Contracts;
using Cnh.Gateway.Edge;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cnh.Gateway.Auth;

/// <summary>OAuth2 client credentials at <c>POST /auth/token</c>, and the metadata services validate tokens with.</summary>
public static class TokenEndpoints
{
    public static void MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/auth/token", IssueToken).DisableAntiforgery().DisableRateLimiting();
        app.MapGet("/.well-known/jwks.json", (SigningKeys keys) => Results.Json(keys.Jwks()));
        app.MapGet("/.well-known/openid-configuration", (IConfiguration configuration) =>
        {
            var issuer = Issuer(configuration);
            return Results.Json(new
            {
                issuer,
                jwks_uri = $"{issuer}/.well-known/jwks.json",
                token_endpoint = $"{issuer}/auth/token",
                grant_types_supported = new[] { "client_credentials" },
                token_endpoint_auth_methods_supported = new[] { "client_secret_post", "client_secret_basic" },
                id_token_signing_alg_values_supported = new[] { SecurityAlgorithms.RsaSha256 },
            });
        });
    }

    static string Issuer(IConfiguration configuration) => (configuration["Auth:Issuer"] ?? "http://127.0.0.1:5080").TrimEnd('/');

    static async Task<IResult> IssueToken(HttpRequest request, ClientStore clients, SigningKeys keys, TokenRateLimiter limiter,
        IConfiguration configuration, CancellationToken ct)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        if (!request.HasFormContentType)
            return OAuthError(400, "invalid_request", "Send application/x-www-form-urlencoded with grant_type, client_id and client_secret.");
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync();
        }
        catch (InvalidDataException)
        {
            // e.g. %00 in a value, or more fields than the form reader allows.
            return OAuthError(400, "invalid_request", "The form is malformed.");
        }
        if (form["grant_type"] != "client_credentials")
            return OAuthError(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.");

        var (clientId, clientSecret) = Credentials(request, form);
        if (limiter.TryAcquire(request.HttpContext, clientId) is { } wait) return RateLimits.TooManyRequests(request.HttpContext, wait);
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(clientSecret))
            return OAuthError(400, "invalid_request", "client_id and client_secret are required.");
        var client = await clients.AuthenticateAsync(clientId, clientSecret, ct);
        if (client is null) return OAuthError(401, "invalid_client", "Unknown client or wrong secret.");

        var lifetime = TimeSpan.FromMinutes(configuration.GetValue("Auth:TokenLifetimeMinutes", 15));
        var claims = new Dictionary<string, object>
        {
            ["sub"] = client.ClientId,
            [CnhClaims.ClientId] = client.ClientId,
            [CnhClaims.Role] = client.Role,
            ["jti"] = Guid.NewGuid().ToString("N"),
            // Which secret the token was issued under (to the microsecond): a rotation in the same second still ends it.
            [SecretGeneration.Claim] = SecretGeneration.Of(client.SecretIssuedAt),
        };
        if (client.Department is not null) claims[CnhClaims.Department] = client.Department;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer(configuration),
            Audience = configuration["Auth:Audience"] ?? "cnh-api",
            Claims = claims,
            IssuedAt = DateTime.UtcNow,
            NotBefore = DateTime.UtcNow,
            Expires = DateTime.UtcNow.Add(lifetime),
            SigningCredentials = new SigningCredentials(keys.Current, SecurityAlgorithms.RsaSha256),
        });
        return Results.Json(new { access_token = token, token_type = "Bearer", expires_in = (int)lifetime.TotalSeconds });
    }

    /// <summary>client_secret_post, or client_secret_basic (RFC 6749 §2.3.1).</summary>
    static (string? Id, string? Secret) Credentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':');
                if (colon > 0) return (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
            }
            catch (FormatException) { }
            return (null, null);
        }
        return (form["client_id"], form["client_secret"]);
    }

    /// <summary>RFC 9457 problem details that also carry RFC 6749's <c>error</c> code for OAuth clients.</summary>
    static IResult OAuthError(int status, string error, string description) => Results.Problem(statusCode: status,
        title: error, detail: description, extensions: new Dictionary<string, object?> { ["error"] = error, ["error_description"] = description });
}
