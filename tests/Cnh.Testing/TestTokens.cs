using System.Security.Claims;
using System.Security.Cryptography;
using Cnh.Contracts;
using Cnh.ServiceDefaults;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Cnh.Testing;

/// <summary>
/// Tokens as the gateway issues them (issuer, audience, role, department, client id), signed by a key of the test's
/// own that the service under test trusts in place of the gateway's published keys.
/// </summary>
public sealed class TestTokens
{
    readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "in-process-test" };

    /// <summary>Points the service's token validation at this key: no issuer to ask for keys.</summary>
    public void Trust(JwtBearerOptions jwt, AuthOptions auth)
    {
        jwt.Authority = null;
        jwt.Configuration = new OpenIdConnectConfiguration { Issuer = auth.ValidIssuer };
        jwt.Configuration.SigningKeys.Add(_key);
        jwt.TokenValidationParameters.IssuerSigningKey = _key;
    }

    public string Admin(AuthOptions auth) => Issue(auth, "admin", Roles.Admin, null);

    public string Viewer(AuthOptions auth) => Issue(auth, "viewer", Roles.Viewer, null);

    public string Department(AuthOptions auth, string department) =>
        Issue(auth, $"dept-{department.ToLowerInvariant()}", Roles.Department, department);

    public string Issue(AuthOptions auth, string clientId, string role, string? department, TimeSpan? lifetime = null)
    {
        var claims = new List<Claim> { new("sub", clientId), new(CnhClaims.ClientId, clientId), new(CnhClaims.Role, role) };
        if (department is not null)
            claims.Add(new(CnhClaims.Department, department));
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(
            new SecurityTokenDescriptor
            {
                Issuer = auth.ValidIssuer,
                Audience = auth.Audience,
                Subject = new ClaimsIdentity(claims),
                IssuedAt = now,
                NotBefore = now,
                Expires = now + (lifetime ?? TimeSpan.FromMinutes(10)),
                SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
            }
        );
    }
}
