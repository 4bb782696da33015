using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cnh.ServiceDefaults;

/// <summary>
/// After the issuer starts signing with a new key, JwtBearer on its own fails the first token with the new key id and
/// only then refreshes its keys. This fetches the issuer's JWKS at once (at most once per <c>Auth:KeyRefreshSeconds</c>,
/// so forged key ids cannot flood the issuer) and validates the same token again, so a key rotation rejects nothing.
/// </summary>
public sealed class SigningKeyRefresh(AuthOptions options, IHttpClientFactory clients, RevocationList revocations)
{
    readonly SemaphoreSlim _gate = new(1, 1);
    DateTimeOffset _lastFetch = DateTimeOffset.MinValue;
    IList<SecurityKey> _keys = [];

    public async Task OnAuthenticationFailed(AuthenticationFailedContext context)
    {
        if (context.Exception is not SecurityTokenSignatureKeyNotFoundException || context.Options.ConfigurationManager is null)
            return;
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return;

        var ct = context.HttpContext.RequestAborted;
        var configuration = await context.Options.ConfigurationManager.GetConfigurationAsync(ct);
        var keys = await KeysAsync(configuration.JwksUri, ct);
        var parameters = context.Options.TokenValidationParameters.Clone();
        parameters.IssuerSigningKeys = keys;
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(
            header["Bearer ".Length..].Trim(),
            parameters
        );
        if (!result.IsValid)
            return;
        var principal = new ClaimsPrincipal(result.ClaimsIdentity);
        if (revocations.IsRevoked(principal))
            return;
        context.Principal = principal;
        context.Success();
    }

    async Task<IList<SecurityKey>> KeysAsync(string jwksUri, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (DateTimeOffset.UtcNow - _lastFetch < TimeSpan.FromSeconds(options.KeyRefreshSeconds))
                return _keys;
            _lastFetch = DateTimeOffset.UtcNow;
            var json = await clients.CreateClient(nameof(SigningKeyRefresh)).GetStringAsync(jwksUri, ct);
            return _keys = new JsonWebKeySet(json).GetSigningKeys();
        }
        catch (HttpRequestException)
        {
            return _keys;
        }
        finally
        {
            _gate.Release();
        }
    }
}
