using Cnh.Scoring.Api;
using Cnh.Scoring.Data;
using Cnh.Scoring.Inbound;
using Cnh.Scoring.OpenData;
using Cnh.Scoring.Recalculation;
using Cnh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("scoring");
builder.AddServiceDatabase<ScoringDb>();
builder.Services.Configure<ScoringOptions>(builder.Configuration.GetSection("Scoring"));
builder.Services.AddScoped<IndicatorRecalculator>();
builder.Services.AddSingleton<RecalculationQueue>();
builder.Services.AddHostedService<RecalculationWorker>();

// Before the bus, so that it stops after the bus: consumers still waiting on it get their answer.
builder.Services.AddSingleton<ObservationWriter>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ObservationWriter>());
builder.AddServiceBus<ScoringDb>("scoring", bus =>
{
    bus.AddConsumer<SubmissionAcceptedConsumer>(typeof(SubmissionAcceptedConsumerDefinition));
    bus.AddConsumer<SubmissionBatchAcceptedConsumer>(typeof(SubmissionBatchAcceptedConsumerDefinition));
    bus.AddConsumer<IndicatorDefinedConsumer>(typeof(IndicatorDefinedConsumerDefinition));
    bus.AddConsumer<SubmissionMadeOfficialConsumer>(typeof(SubmissionMadeOfficialConsumerDefinition));
});
builder.AddCatalogueCatchUp<ScoringDb>("scoring");
builder.Services.Configure<OpenDataOptions>(builder.Configuration.GetSection("OpenData"));
builder.Services.AddScoped<OpenDataPublisher>();
builder.Services.AddHostedService<OpenDataSchedule>();

var app = builder.Build();
app.UseServiceDefaults();
app.MapScoreEndpoints();
app.MapOpenDataEndpoints();
app.RunService();

public partial class Program;
