namespace Cnh.Notifications.Delivery;

public static class DeliveryRegistration
{
    public static void AddAlertDelivery(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<DeliveryOptions>(builder.Configuration.GetSection("Notifications:Delivery"));
        builder.Services.Configure<SmtpOptions>(builder.Configuration.GetSection("Notifications:Smtp"));
        builder.Services.Configure<WebhookOptions>(builder.Configuration.GetSection("Notifications:Webhooks"));
        builder.Services.AddSingleton<WebhookAddresses>();
        builder.Services.AddDeliveryResilience();
        builder.Services.AddSingleton<WebhookChannel>();
        builder.Services.AddSingleton<EmailChannel>();
        builder.Services.AddSingleton<ChannelSelector>();
        builder.Services.AddSingleton<DeliverySender>();
        builder.Services.AddHostedService<DeliveryWorker>();
        builder.Services.AddHostedService<DigestWorker>();
    }
}
