using Scalar.AspNetCore;

namespace Cnh.Gateway.Edge;

/// <summary>
/// <c>/api/docs</c>: Scalar's API reference over every service's OpenAPI document (<c>/openapi/{service}.json</c>,
/// proxied to the services). Requests made from it go straight to this gateway with the caller's own token.
/// </summary>
public static class ApiDocs
{
    public const string Path = "/api/docs";

    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    public static void MapApiDocs(this WebApplication app) =>
        app.MapScalarApiReference(Path, options => options
                    .WithTitle("CnhPlatform API")
                    .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                    .AddDocuments("submissions", "catalogue", "scoring", "notifications")
                    // Nothing leaves the machine: no web fonts, no usage telemetry, no AI chat or MCP, no hosted developer tools.
                    .DisableDefaultFonts()
                    .DisableTelemetry()
                    .DisableAgent()
                    .DisableMcp()
                    .HideDeveloperTools())
            .AllowAnonymous();
}
