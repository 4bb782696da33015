using System.Security.Cryptography;
using Cnh.ServiceDefaults;
using Microsoft.IdentityModel.Tokens;

namespace Cnh.Gateway.Auth;

/// <summary>
/// The RSA key the gateway signs with (<c>Auth:SigningKeyFile</c>, PEM) and the keys it still publishes for validation
/// (<c>Auth:AdditionalKeyFiles</c>: the next key before a rotation, the previous one until its tokens expire).
/// In development a missing signing key is generated and saved (git-ignored). Key ids are RFC 7638 thumbprints.
/// </summary>
public sealed class SigningKeys
{
    public RsaSecurityKey Current { get; }
    public IReadOnlyList<RsaSecurityKey> Published { get; }

    /// <summary>Where a development key was just generated, to be logged once the host has a logger.</summary>
    public string? GeneratedAt { get; }

    public SigningKeys(TokenServerOptions options, IHostEnvironment environment)
    {
        var path = options.SigningKeyFile ?? throw new InvalidOperationException("Auth:SigningKeyFile is not configured.");
        if (!File.Exists(path))
        {
            if (!environment.IsDevelopment())
                throw new InvalidOperationException($"No signing key at {path}.");
            using var rsa = RSA.Create(2048);
            PrivateFiles.Write(path, rsa.ExportRSAPrivateKeyPem());
            GeneratedAt = path;
        }
        Current = Load(path);
        Published = [Current, .. options.AdditionalKeyFiles.Where(File.Exists).Select(Load).Where(k => k.KeyId != Current.KeyId)];
    }

    static RsaSecurityKey Load(string path)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }
}
