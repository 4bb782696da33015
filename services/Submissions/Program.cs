using Cnh.ServiceDefaults;
using Cnh.Submissions.Approval;
using Cnh.Submissions.Data;
using Cnh.Submissions.Deadlines;
using Cnh.Submissions.Inbound;
using Cnh.Submissions.Queries;
using Cnh.Submissions.Submit;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("submissions");
builder.AddServiceDatabase<SubmissionsDb>();
builder.AddServiceBus<SubmissionsDb>("submissions", bus =>
{
    bus.AddConsumer<IndicatorDefinedConsumer>(typeof(IndicatorDefinedConsumerDefinition));
    bus.AddConsumer<IndicatorScoredConsumer>(typeof(IndicatorScoredConsumerDefinition));
});
builder.AddIdempotencyKeyRetention();
builder.AddCatalogueCatchUp<SubmissionsDb>("submissions");
builder.Services.Configure<OutlierOptions>(builder.Configuration.GetSection("Submissions:Outliers"));
builder.Services.Configure<BatchOptions>(builder.Configuration.GetSection("Submissions:Batch"));
builder.Services.Configure<ApprovalOptions>(builder.Configuration.GetSection("Submissions:Approval"));
builder.Services.Configure<DeadlineOptions>(builder.Configuration.GetSection("Submissions:Deadlines"));
builder.Services.AddHostedService<DeadlineScanner>();

var app = builder.Build();
app.UseServiceDefaults();
var api = app.MapGroup("/api/submissions").WithTags("Submissions");
api.MapSubmitValue();
api.MapSubmitBatch();
api.MapCompleteness();
api.MapSubmissionQueries();
api.MapApproval();
app.MapAuditLog<SubmissionsDb>("/api/submissions/audit");
app.RunService();

public partial class Program;
