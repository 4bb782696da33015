using Cnh.Portal;
using Cnh.Portal.Components;
using Cnh.Portal.Downloads;
using Cnh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddCnhTelemetry("portal");
builder.Services.AddSingleton(Clock.FromConfiguration(builder.Configuration));
builder.AddPlatformApi();
builder.AddPageCache();
builder.Services.AddRazorComponents();

var app = builder.Build();
app.UsePortalDefaults();
app.MapStaticAssets();
app.MapLanguageSwitch();
app.MapLiveUpdates();
app.MapDownloads();
app.MapRazorComponents<App>().CacheOutput(PageCache.Policy);
app.RunService();

public partial class Program;
