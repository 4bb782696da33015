using Cnh.Gateway.Auth;
using Cnh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddCnhTelemetry("gateway");
builder.Services.AddProblemDetails();
builder.Services.AddSingleton<SigningKeys>();
builder.Services.AddSingleton<ClientStore>();
builder.Services.AddHealthChecks();
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));

var app = builder.Build();
// Fail at start, not at the first token request, when keys or clients are missing.
app.Services.GetRequiredService<SigningKeys>();
app.Services.GetRequiredService<ClientStore>();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRouteSpanNames();
app.MapHealthChecks("/health/live");
app.MapHealthChecks("/health/ready");
app.MapTokenEndpoints();
app.MapReverseProxy();
app.Run();

public partial class Program;
