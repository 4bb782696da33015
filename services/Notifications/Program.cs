using Cnh.Notifications.Alerts;
using Cnh.Notifications.Api;
using Cnh.Notifications.Briefings;
using Cnh.Notifications.Data;
using Cnh.Notifications.Delivery;
using Cnh.Notifications.Inbound;
using Cnh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("notifications");
builder.AddServiceDatabase<NotificationsDb>();
WebhookSecrets.AddTo(builder);
builder.AddServiceBus<NotificationsDb>("notifications", bus =>
{
    bus.AddConsumer<IndicatorStatusChangedConsumer>(typeof(IndicatorStatusChangedConsumerDefinition));
    bus.AddConsumer<MilestoneEvaluatedConsumer>(typeof(MilestoneEvaluatedConsumerDefinition));
    bus.AddConsumer<SubmissionOverdueConsumer>(typeof(SubmissionOverdueConsumerDefinition));
    bus.AddConsumer<SubmissionDueSoonConsumer>(typeof(SubmissionDueSoonConsumerDefinition));
    bus.AddConsumer<SubmissionEscalatedConsumer>(typeof(SubmissionEscalatedConsumerDefinition));
    bus.AddConsumer<SubmissionReturnedConsumer>(typeof(SubmissionReturnedConsumerDefinition));
    bus.AddConsumer<SubmissionApprovedConsumer>(typeof(SubmissionApprovedConsumerDefinition));
});
builder.Services.AddScoped<AlertRaiser>();
builder.AddAlertDelivery();
builder.AddBriefings();

var app = builder.Build();
app.UseServiceDefaults();
app.MapFeedEndpoints();
app.MapSubscriptionEndpoints();
app.MapDeliveryEndpoints();
app.MapRuleEndpoints();
app.MapBriefingEndpoints();
app.MapAuditLog<NotificationsDb>("/api/notifications/audit");
app.RunService();

public partial class Program;
