using Cnh.Portal;
using Cnh.Portal.Components;
using Cnh.Portal.Downloads;
using Cnh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddCnhTelemetry("portal");
builder.Services.AddSingleton(Clock.FromConfiguration(builder.Configuration));
builder.AddPlatformApi();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();
app.UsePortalDefaults();
app.MapStaticAssets();
app.MapLanguageSwitch();
app.MapDownloads();
// The portal's own policy already says frame-ancestors 'none'; Blazor's default would add a second, looser one.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
app.Run();

public partial class Program;
