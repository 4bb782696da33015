using Cnh.Portal.Api;
using Cnh.Portal.Text;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cnh.Portal;

/// <summary>The portal's wiring: the API client and its data, languages, errors, security headers and health.</summary>
public static class PortalHosting
{
    public static void AddPlatformApi(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var section = builder.Configuration.GetSection("Portal");
        builder.Services.Configure<PortalApiOptions>(section);
        var gateway = new Uri(section.Get<PortalApiOptions>()?.GatewayUrl ?? "http://127.0.0.1:5080");
        builder.Services.AddSingleton<ViewerToken>();
        builder.Services.AddTransient<ViewerTokenHandler>();
        builder.Services.AddHttpClient(ViewerToken.TokenClient, c => c.BaseAddress = gateway).AddStandardResilienceHandler();
        // Outermost first: retries and timeouts around the token handler, so a retried call carries a valid token.
        var api = builder.Services.AddHttpClient<PlatformApi>(c => c.BaseAddress = gateway);
        api.AddStandardResilienceHandler(o =>
        {
            o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
            o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(15);
            o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
        });
        api.AddHttpMessageHandler<ViewerTokenHandler>();
        // The gateway sends X-Frame-Options for every answer; a second value from here would make browsers ignore both.
        // Vietnamese as characters, not as &#x1EA1; entities: a third of the page's bytes, and readable source.
        builder.Services.AddSingleton(System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddAntiforgery(o => o.SuppressXFrameOptionsHeader = true);
        builder.Services.AddSingleton<PortalData>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PortalData>());
        builder
            .Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"])
            .AddCheck<PortalDataCheck>("data", tags: ["ready"]);
    }

    public static WebApplication UsePortalDefaults(this WebApplication app)
    {
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use(
            async (context, next) =>
            {
                // Scripts and styles from the portal itself only; the live connection goes back to the same origin. (The
                // gateway adds the headers every answer carries: nosniff, frame denial, referrer policy.) Inline styles: Blazor's
                // reconnection notice sets some; no inline script is allowed.
                context.Response.Headers.ContentSecurityPolicy =
                    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
                    + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
                await next(context);
            }
        );
        var cultures = new[] { Language.Vietnamese.Culture, Language.English.Culture };
        app.UseRequestLocalization(
            new RequestLocalizationOptions
            {
                DefaultRequestCulture = new RequestCulture(Language.Vietnamese.Culture),
                SupportedCultures = cultures,
                SupportedUICultures = cultures,
                // Vietnamese first, whatever the browser says; English only when the reader chose it.
                RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = Language.CookieName }],
            }
        );
        app.UseAntiforgery();
        app.UseOutputCache();
        app.EvictOnChange();
        app.MapHealthChecks("/health/live", new() { Predicate = c => c.Tags.Contains("live") });
        app.MapHealthChecks("/health/ready");
        return app;
    }

    /// <summary><c>/lang/en?returnUrl=/indicators/KT01</c>: remembers the choice for a year and goes back to the same page.</summary>
    public static void MapLanguageSwitch(this IEndpointRouteBuilder app) =>
        app.MapGet("/lang/{code}", (HttpContext http, string code, string? returnUrl) =>
        {
            var language = Language.FromCode(code);
            http.Response.Cookies.Append(
                Language.CookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language.Culture)),
                new CookieOptions
                {
                    MaxAge = TimeSpan.FromDays(365),
                    SameSite = SameSiteMode.Lax,
                    HttpOnly = true,
                    Secure = http.Request.IsHttps,
                    IsEssential = true,
                }
            );
            var target =
                returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
                    ? returnUrl
                    : "/";
            return Results.LocalRedirect(target);
        });
}

/// <summary>Ready once the APIs were read at least once: before that every page would only say "no data yet".</summary>
public sealed class PortalDataCheck(PortalData data) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(
            data.Current.HasData ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The platform's APIs were not read yet.")
        );
}
