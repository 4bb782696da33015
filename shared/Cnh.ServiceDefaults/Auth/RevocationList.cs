using System.Collections.Frozen;
using System.Globalization;
using System.Security.Claims;
using Cnh.Contracts;

namespace Cnh.ServiceDefaults;

/// <summary>
/// Tokens are validated by signature and lifetime; this refuses, besides, a valid token of a revoked client, one
/// issued under another secret than its client's current one, and one revoked on its own (RFC 7009). The gateway
/// fills it from its database; every service from the gateway's list, every few seconds.
/// </summary>
public sealed class RevocationList
{
    public const string SecretGenerationClaim = "cnh_secret_gen";

    /// <summary>OpenIddict's id of the stored token, which its revocation marks.</summary>
    public const string TokenIdClaim = "oi_tkn_id";

    volatile Snapshot _current = new(FrozenDictionary<string, ChangedClient>.Empty, FrozenSet<string>.Empty);

    sealed record Snapshot(FrozenDictionary<string, ChangedClient> Clients, FrozenSet<string> Tokens);

    public void Replace(Revocations revocations) =>
        _current = new(
            revocations.Clients.ToFrozenDictionary(c => c.ClientId, StringComparer.Ordinal),
            revocations.Tokens.ToFrozenSet(StringComparer.Ordinal)
        );

    public bool IsRevoked(ClaimsPrincipal user)
    {
        var current = _current;
        if (user.FindFirst(TokenIdClaim)?.Value is { } tokenId && current.Tokens.Contains(tokenId))
            return true;
        var clientId = user.FindFirst(CnhClaims.ClientId)?.Value;
        return clientId is not null
            && current.Clients.TryGetValue(clientId, out var client)
            && (client.Revoked || user.FindFirst(SecretGenerationClaim)?.Value != client.SecretGeneration);
    }

    /// <summary>The secret a token was issued under: its issue time in microseconds (PostgreSQL's precision).</summary>
    public static string SecretGeneration(DateTimeOffset secretIssuedAt) =>
        (secretIssuedAt.UtcTicks / 10).ToString(CultureInfo.InvariantCulture);
}
