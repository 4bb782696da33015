using Cnh.Catalogue.Data;
using Cnh.Catalogue.Departments;
using Cnh.Catalogue.Inbound;
using Cnh.Catalogue.Indicators;
using Cnh.Catalogue.Seed;
using Cnh.Catalogue.Transfer;
using Cnh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("catalogue");
builder.AddServiceDatabase<CatalogueDb>();
builder.Services.AddHostedService<CatalogueSeeder>();
builder.AddServiceBus<CatalogueDb>("catalogue", bus =>
    bus.AddConsumer<CatalogueReplayRequestedConsumer>(typeof(CatalogueReplayRequestedConsumerDefinition))
);

var app = builder.Build();
app.UseServiceDefaults();
app.MapIndicatorEndpoints();
app.MapDepartmentEndpoints();
app.MapCatalogueTransfer();
app.MapCatalogueReleases();
app.MapAuditLog<CatalogueDb>("/api/catalogue/audit");
app.RunService();

/// <summary>Named so tests can tell the services' entry points apart.</summary>
public partial class Program;
