using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Cnh.ServiceDefaults;

/// <summary>
/// With <c>Auth:GatewaySecretFile</c> set, a service answers only requests that came through the gateway: the gateway
/// adds the file's secret as <see cref="Header"/> to every request it forwards (replacing any a client sent), and the
/// service refuses a request without it (its health endpoints excepted). So a token revoked or rotated at the gateway
/// cannot be used against a service's own port.
/// </summary>
public static class GatewayOnly
{
    public const string Header = "X-Cnh-Gateway";
    public const string SecretFileKey = "Auth:GatewaySecretFile";

    /// <summary>The shared secret, read from its file; with <paramref name="create"/> (the gateway) made owner-only if missing.</summary>
    public static string? ReadSecret(IConfiguration configuration, bool create = false)
    {
        if (configuration[SecretFileKey] is not { Length: > 0 } path) return null;
        if (!File.Exists(path))
        {
            if (!create) return null;
            PrivateFiles.Write(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }
        return File.ReadAllText(path).Trim();
    }

    public static IApplicationBuilder RequireGateway(this IApplicationBuilder app, IConfiguration configuration)
    {
        if (configuration[SecretFileKey] is not { Length: > 0 }) return app;
        string? secret = null;
        return app.Use(async (context, next) =>
        {
            // Read when first needed: the gateway may write the file after this service started.
            secret ??= ReadSecret(configuration);
            if (context.Request.Path.StartsWithSegments("/health") || (secret is not null && Matches(context.Request.Headers[Header].ToString(), secret)))
            {
                await next(context);
                return;
            }
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Use the gateway",
                detail: "This service answers requests through the platform's gateway only.").ExecuteAsync(context);
        });
    }

    /// <summary>True when no gateway secret is configured, or the request carries it (a service of the platform).</summary>
    public static bool IsFromPlatform(HttpRequest request, IConfiguration configuration) =>
        ReadSecret(configuration) is not { } secret || Matches(request.Headers[Header].ToString(), secret);

    static bool Matches(string sent, string secret) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(secret));
}
