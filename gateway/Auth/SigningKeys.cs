using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Cnh.Gateway.Auth;

/// <summary>
/// The RSA key the gateway signs tokens with (<c>Auth:SigningKeyFile</c>, PEM). In development a missing key is
/// generated and saved (git-ignored). The key id is the RFC 7638 thumbprint, so services pick the right JWKS entry.
/// </summary>
public sealed class SigningKeys
{
    public RsaSecurityKey Current { get; }

    public SigningKeys(IConfiguration configuration, IHostEnvironment environment, ILogger<SigningKeys> logger)
    {
        var path = configuration["Auth:SigningKeyFile"] ?? throw new InvalidOperationException("Auth:SigningKeyFile is not configured.");
        var rsa = RSA.Create();
        if (File.Exists(path))
            rsa.ImportFromPem(File.ReadAllText(path));
        else if (environment.IsDevelopment())
        {
            rsa.KeySize = 2048;
            ClientStore.WritePrivate(path, rsa.ExportRSAPrivateKeyPem());
            logger.LogWarning("Generated a development signing key at {Path}", path);
        }
        else throw new InvalidOperationException($"No signing key at {path}.");

        Current = new RsaSecurityKey(rsa);
        Current.KeyId = Base64UrlEncoder.Encode(Current.ComputeJwkThumbprint());
    }

    /// <summary>The public half only, as a JWKS.</summary>
    public object Jwks()
    {
        var p = Current.Rsa.ExportParameters(includePrivateParameters: false);
        return new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = SecurityAlgorithms.RsaSha256, kid = Current.KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) },
            },
        };
    }
}
