namespace Cnh.ServiceDefaults;

public sealed class AuthOptions
{
    /// <summary>Base URL of the token issuer; its OpenID metadata and JWKS are fetched from there.</summary>
    public string Authority { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Expected <c>iss</c>; defaults to the authority.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>iss</c> tokens carry: the issuer as an absolute URI ending in '/', as OpenIddict writes it.</summary>
    public string ValidIssuer => (Issuer ?? Authority).TrimEnd('/') + "/";
    public string Audience { get; set; } = "cnh-api";

    /// <summary>
    /// Least time between two fetches of the issuer's keys when a token names an unknown key id; keeps a key rotation
    /// from rejecting new tokens for long, without letting forged key ids flood the issuer.
    /// </summary>
    public int KeyRefreshSeconds { get; set; } = 30;

    /// <summary>How often the gateway's revocation list is fetched: how soon a revoked token stops working here.</summary>
    public int RevocationRefreshSeconds { get; set; } = 2;
}
