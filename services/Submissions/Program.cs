using Cnh.ServiceDefaults;
using Cnh.Submissions.Catalogue;
using Cnh.Submissions.Data;
using Cnh.Submissions.Queries;
using Cnh.Submissions.Scoring;
using Cnh.Submissions.Submit;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("submissions");
builder.AddServiceDatabase<SubmissionsDb>();
builder.AddServiceBus<SubmissionsDb>("submissions", bus =>
{
    bus.AddConsumer<IndicatorDefinedConsumer>(typeof(IndicatorDefinedConsumerDefinition));
    bus.AddConsumer<IndicatorScoredConsumer>(typeof(IndicatorScoredConsumerDefinition));
});
builder.AddCatalogueCatchUp<SubmissionsDb>("submissions");

var app = builder.Build();
app.UseServiceDefaults();
var api = app.MapGroup("/api/submissions").WithTags("Submissions");
api.MapSubmitValue();
api.MapSubmissionQueries();
app.Run();

public partial class Program;
