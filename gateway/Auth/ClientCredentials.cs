using System.Security.Cryptography;
using System.Text.Json;
using Cnh.Gateway.Data;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace Cnh.Gateway.Auth;

/// <summary>
/// A client's credentials are an OpenIddict application (its id, its secret's PBKDF2 hash and what it may do); the
/// registry row in <c>api_clients</c> says who it is. Both change in the same <c>SaveChanges</c>: OpenIddict's store
/// saves the gateway's <see cref="GatewayDb"/>, with the registry row and its audit entry pending in it.
/// </summary>
public static class ClientCredentials
{
    public static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static async Task CreateAsync(
        IOpenIddictApplicationManager applications,
        string clientId,
        string secret,
        string? description,
        CancellationToken ct
    )
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = OpenIddictConstants.ClientTypes.Confidential,
            DisplayName = description,
        };
        descriptor.Permissions.UnionWith(TokenServer.ClientPermissions);
        await applications.CreateAsync(descriptor, ct);
    }

    /// <summary>A new secret; the old one stops working at once.</summary>
    public static async Task RotateAsync(IOpenIddictApplicationManager applications, string clientId, string secret, CancellationToken ct)
    {
        var application = await applications.FindByClientIdAsync(clientId, ct)
            ?? throw new InvalidOperationException($"Client {clientId} has no credentials.");
        await applications.UpdateAsync(application, secret, ct);
    }

    /// <summary>A revoked client keeps its registry row (and audit), and loses its credentials and stored tokens.</summary>
    public static async Task RemoveAsync(IOpenIddictApplicationManager applications, string clientId, CancellationToken ct)
    {
        if (await applications.FindByClientIdAsync(clientId, ct) is { } application)
            await applications.DeleteAsync(application, ct);
    }

    /// <summary>
    /// An application whose secret is already hashed (<c>Auth:ClientsFile</c>): OpenIddict's format, or the platform's
    /// earlier <c>pbkdf2-sha256$iterations$salt$hash</c>, which is the same PBKDF2 re-encoded.
    /// </summary>
    public static OpenIddictEntityFrameworkCoreApplication WithHashedSecret(string clientId, string hash, string? description) =>
        new()
        {
            ClientId = clientId,
            ClientSecret = LegacySecretHash.ToOpenIddict(hash),
            ClientType = OpenIddictConstants.ClientTypes.Confidential,
            DisplayName = description,
            Permissions = JsonSerializer.Serialize(TokenServer.ClientPermissions),
            ConcurrencyToken = Guid.NewGuid().ToString(),
        };
}

/// <summary>
/// Before OpenIddict the gateway hashed secrets itself, as <c>pbkdf2-sha256$iterations$salt$hash</c>: PBKDF2 with
/// HMAC-SHA256, which OpenIddict also uses. OpenIddict's encoding (ASP.NET Core Identity's v3) is
/// <c>0x01 | prf | iterations | salt length | salt | subkey</c> (big-endian 32-bit integers, prf 1 = HMAC-SHA256), base64.
/// The migration <c>OpenIddict</c> re-encodes stored hashes the same way in SQL.
/// </summary>
public static class LegacySecretHash
{
    public static string ToOpenIddict(string hash)
    {
        var parts = hash.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256")
            return hash;
        var salt = Convert.FromBase64String(parts[2]);
        var subkey = Convert.FromBase64String(parts[3]);
        var payload = new byte[13 + salt.Length + subkey.Length];
        payload[0] = 0x01;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(1), 1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(
            payload.AsSpan(5),
            uint.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)
        );
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(9), (uint)salt.Length);
        salt.CopyTo(payload, 13);
        subkey.CopyTo(payload, 13 + salt.Length);
        return Convert.ToBase64String(payload);
    }
}
