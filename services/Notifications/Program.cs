using Cnh.Notifications.Alerts;
using Cnh.Notifications.Data;
using Cnh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("notifications");
builder.AddServiceDatabase<NotificationsDb>();
builder.AddServiceBus<NotificationsDb>("notifications", bus =>
    bus.AddConsumer<IndicatorStatusChangedConsumer>(typeof(IndicatorStatusChangedConsumerDefinition)));

var app = builder.Build();
app.UseServiceDefaults();
app.MapFeedEndpoints();
app.Run();

public partial class Program;
