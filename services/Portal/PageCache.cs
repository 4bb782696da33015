using Cnh.Portal.Api;
using Cnh.Portal.Text;
using Microsoft.AspNetCore.OutputCaching;

namespace Cnh.Portal;

/// <summary>
/// Pages are rendered once per address and language and served from memory until the data changes (or a few seconds
/// pass, so the "data as of" stamp stays honest): a hundred readers cost the portal about what one does.
/// </summary>
public static class PageCache
{
    public const string Policy = "pages";
    const string Tag = "portal-data";

    public static void AddPageCache(this WebApplicationBuilder builder)
    {
        var seconds = builder.Configuration.GetValue("Portal:PageCacheSeconds", 5.0);
        builder.Services.AddOutputCache(o =>
            o.AddPolicy(Policy, p =>
                p.Expire(TimeSpan.FromSeconds(seconds))
                    .SetVaryByQuery("*")
                    .VaryByValue(_ => new KeyValuePair<string, string>("lang", Language.Current.Code))
                    .Tag(Tag)
            )
        );
    }

    /// <summary>New data: every cached page is stale.</summary>
    public static void EvictOnChange(this IApplicationBuilder app)
    {
        var cache = app.ApplicationServices.GetRequiredService<IOutputCacheStore>();
        app.ApplicationServices.GetRequiredService<PortalData>().Changed += snapshot =>
            _ = cache.EvictByTagAsync(Tag, CancellationToken.None).AsTask();
    }
}
