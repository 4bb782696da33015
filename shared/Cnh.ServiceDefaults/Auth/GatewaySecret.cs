using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Cnh.ServiceDefaults;

/// <summary>
/// The secret of <c>Auth:GatewaySecretFile</c>, read once it exists (the gateway may write the file after a service
/// started) and kept: the services check forwarded requests by it and show it when they poll the gateway.
/// </summary>
public sealed class GatewaySecret(IConfiguration configuration)
{
    string? _value;

    /// <summary>False when no file is configured: then every request is taken as the gateway's.</summary>
    public bool Configured => configuration[GatewayOnly.SecretFileKey] is { Length: > 0 };

    public string? Value => _value ??= GatewayOnly.ReadSecret(configuration);

    /// <summary>True when no secret is configured, or the request carries it.</summary>
    public bool IsSentWith(string sent) =>
        !Configured
        || (Value is { } secret && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(secret)));
}
