using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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
        if (configuration[SecretFileKey] is not { Length: > 0 } path)
            return null;
        if (!File.Exists(path))
        {
            if (!create)
                return null;
            PrivateFiles.Write(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }
        return File.ReadAllText(path).Trim();
    }

    public static IApplicationBuilder RequireGateway(this IApplicationBuilder app)
    {
        var secret = app.ApplicationServices.GetRequiredService<GatewaySecret>();
        if (!secret.Configured)
            return app;
        return app.Use(
            async (context, next) =>
            {
                if (context.Request.Path.StartsWithSegments("/health") || secret.IsSentWith(context.Request.Headers[Header].ToString()))
                {
                    await next(context);
                    return;
                }
                await Results
                    .Problem(
                        statusCode: StatusCodes.Status403Forbidden,
                        title: "Use the gateway",
                        detail: "This service answers requests through the platform's gateway only."
                    )
                    .ExecuteAsync(context);
            }
        );
    }
}
