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
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();

public partial class Program;
