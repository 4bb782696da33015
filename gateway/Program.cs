using Cnh.Gateway.Auth;
using Cnh.Gateway.Data;
using Cnh.Gateway.Edge;
using Cnh.Gateway.Inbound;
using Cnh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddCnhTelemetry("gateway");
builder.Services.AddProblemDetails();
builder.Services.AddClientErrorProblems();
builder.AddServiceDatabase<GatewayDb>();
builder.AddTokenServer();
builder.Services.AddSingleton<RevocationList>();
builder.Services.AddSingleton<GatewaySecret>();
builder.Services.AddSingleton<RevocationListBuilder>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<RevocationListBuilder>());
builder.Services.AddSingleton<DevelopmentCredentials>();

// Before the bus: the first clients exist before any department's client is made.
builder.Services.AddHostedService<ClientBootstrap>();
builder.Services.AddHostedService<ServiceClientProvisioning>();
builder.AddServiceBus<GatewayDb>("gateway", bus => bus.AddConsumer<DepartmentDefinedConsumer>(typeof(DepartmentDefinedConsumerDefinition)));
builder.AddCatalogueCatchUp<GatewayDb>("gateway");
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
app.MapReverseProxy(pipeline =>
{
    pipeline.UseBodyLimitErrors();
    // A service with several instances: a refused connection is tried on another, requests are spread, and an instance
    // that keeps failing is left out until it recovers.
    pipeline.UseRetryOnRefusedConnection();
    pipeline.UseLoadBalancing();
    pipeline.UsePassiveHealthChecks();
});
app.RunService();

public partial class Program;
