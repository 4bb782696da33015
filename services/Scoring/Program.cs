using Cnh.Scoring.Api;
using Cnh.Scoring.Data;
using Cnh.Scoring.Recalculation;
using Cnh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("scoring");
builder.AddServiceDatabase<ScoringDb>();
builder.Services.Configure<ScoringOptions>(builder.Configuration.GetSection("Scoring"));
builder.Services.AddScoped<IndicatorRecalculator>();
builder.Services.AddSingleton<RecalculationQueue>();
builder.Services.AddHostedService<RecalculationWorker>();
builder.AddServiceBus<ScoringDb>("scoring", bus =>
{
    bus.AddConsumer<SubmissionAcceptedConsumer>(typeof(SubmissionAcceptedConsumerDefinition));
    bus.AddConsumer<IndicatorDefinedConsumer>(typeof(IndicatorDefinedConsumerDefinition));
});
builder.AddCatalogueCatchUp<ScoringDb>("scoring");

var app = builder.Build();
app.UseServiceDefaults();
app.MapScoreEndpoints();
app.Run();

public partial class Program;
