namespace Cnh.Gateway.Auth;

/// <summary>The gateway's <c>Auth</c> section, bound once at start (the one place it is read).</summary>
public sealed class TokenServerOptions
{
    /// <summary>As configured; tokens carry <see cref="IssuerUri"/>.</summary>
    public string Issuer { get; set; } = "http://127.0.0.1:5080";
    public string Audience { get; set; } = "cnh-api";
    public int TokenLifetimeMinutes { get; set; } = 15;

    /// <summary>The RSA key the gateway signs with (PEM); generated in development when missing.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>Keys still published for validation: the next one before a rotation, the previous one until its tokens expire.</summary>
    public string[] AdditionalKeyFiles { get; set; } = [];

    /// <summary>Ids, roles and PBKDF2 hashes imported once into an empty database (how production gets its first admin).</summary>
    public string? ClientsFile { get; set; }

    /// <summary>Development only: where the plain secrets of the development clients are written.</summary>
    public string? DevelopmentCredentialsFile { get; set; }

    /// <summary>How often the revocation list is rebuilt from the database.</summary>
    public int ClientRefreshSeconds { get; set; } = 2;
    public Dictionary<string, ServiceClientOptions> ServiceClients { get; set; } = [];

    /// <summary>The <c>iss</c> of every token: the issuer as OpenIddict writes it, an absolute URI ending in '/'.</summary>
    public string IssuerUri => Issuer.TrimEnd('/') + "/";

    public TimeSpan TokenLifetime => TimeSpan.FromMinutes(TokenLifetimeMinutes);

    public static TokenServerOptions From(IConfiguration configuration) =>
        configuration.GetSection("Auth").Get<TokenServerOptions>() ?? new TokenServerOptions();
}
