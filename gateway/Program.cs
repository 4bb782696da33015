using Cnh.Gateway.Auth;
using Cnh.Gateway.Data;
using Cnh.Gateway.Edge;
using Cnh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddCnhTelemetry("gateway");
builder.Services.AddProblemDetails();
builder.Services.AddClientErrorProblems();
builder.AddServiceDatabase<GatewayDb>();
builder.AddTokenServer();
builder.Services.AddSingleton<RevocationList>();
builder.Services.AddSingleton<ClientStore>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ClientStore>());
builder.Services.AddHostedService<ClientBootstrap>();
builder.Services.AddHostedService<ServiceClientProvisioning>();
// Read (or made) once: the catalogue answers only what comes through the gateway, and this client is the gateway's own.
var gatewaySecret = GatewayOnly.ReadSecret(builder.Configuration, create: true);
builder.Services.AddHttpClient(ClientEndpoints.CatalogueClient, c =>
{
    c.BaseAddress = new Uri(builder.Configuration["ReverseProxy:Clusters:catalogue:Destinations:primary:Address"] ?? "http://127.0.0.1:5081");
    c.Timeout = TimeSpan.FromSeconds(5);
    if (gatewaySecret is not null) c.DefaultRequestHeaders.Add(GatewayOnly.Header, gatewaySecret);
});
builder.AddGatewayAuthentication();
builder.AddGatewayRateLimits();
builder.Services.AddHttpClient(nameof(ServicesReadiness), c => c.Timeout = TimeSpan.FromSeconds(3));
builder.Services.AddHealthChecks().AddCheck<ServicesReadiness>("services", tags: ["services"]);
var proxy = builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
builder.AddEdgeProtection(proxy);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseEdgeProtection();
app.RejectUnsafeRequestTargets();
app.UseCors(EdgeProtection.CorsPolicy);
app.UseAnonymousRateLimits();
app.UseAuthentication();
app.UseRevokedTokenRejection();
app.UseAuthorization();
app.UseRateLimiter();
app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = _ => false });
app.MapHealthChecks("/health", new() { Predicate = c => c.Tags.Contains("services"), ResponseWriter = HealthReports.WriteJson });
app.MapTokenEndpoints();
app.MapClientEndpoints();
app.MapApiDocs();
app.MapUnknownApiPaths();
app.MapReverseProxy(pipeline => pipeline.UseBodyLimitErrors());
app.Run();

public partial class Program;
