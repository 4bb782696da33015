using System.Net;
using System.Net.Mail;
using System.Text;
using System.Text.Json;
using Cnh.Contracts;
using Cnh.Notifications.Data;
using Microsoft.Extensions.Options;

namespace Cnh.Notifications.Delivery;

/// <summary>What is sent: one alert, or a digest of several.</summary>
public sealed record OutgoingMessage(Guid DeliveryId, Subscription Subscription, IReadOnlyList<Alert> Alerts)
{
    public string Subject => Alerts.Count == 1 ? $"[CNH] {Alerts[0].Message}" : $"[CNH] {Alerts.Count} alerts";
}

/// <summary>Thrown for an answer that is not a success, so the resilience pipeline retries it.</summary>
public sealed class DeliveryFailedException(string message, int? statusCode = null) : Exception(message)
{
    public int? StatusCode { get; } = statusCode;
}

public interface IChannel
{
    string EndpointKey(Subscription subscription);
    Task SendAsync(OutgoingMessage message, CancellationToken ct);
}

/// <summary>POSTs JSON signed as <see cref="WebhookSignature"/> documents.</summary>
public sealed class WebhookChannel(IHttpClientFactory clients, TimeProvider clock) : IChannel
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string EndpointKey(Subscription s) => new Uri(s.Url!).Authority;

    public async Task SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new
        {
            deliveryId = message.DeliveryId,
            digest = message.Alerts.Count > 1,
            alerts = message.Alerts.Select(a => new
            {
                a.Id, a.Kind, a.Severity, a.IndicatorCode, a.Group, a.Department, a.PreviousStatus, a.NewStatus, a.Score, a.Period,
                a.Message, a.CreatedAt,
            }),
        }, Json);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, message.Subscription.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString());
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(message.Subscription.Secret!, timestamp, body));
        request.Headers.Add(WebhookSignature.DeliveryHeader, message.DeliveryId.ToString());
        using var response = await clients.CreateClient(nameof(WebhookChannel)).SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new DeliveryFailedException($"Webhook answered {(int)response.StatusCode}", (int)response.StatusCode);
    }
}

/// <summary>Plain-text email through the configured SMTP server (MailKit is not available here; SmtpClient is enough for SMTP relays).</summary>
public sealed class EmailChannel(IOptions<SmtpOptions> options) : IChannel
{
    public string EndpointKey(Subscription s) => $"smtp:{options.Value.Host}:{options.Value.Port}";

    public async Task SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var smtp = options.Value;
        using var mail = new MailMessage(smtp.From, message.Subscription.Email!)
        {
            Subject = message.Subject,
            Body = string.Join("\n\n", message.Alerts.Select(a =>
                $"{a.Message}\nIndicator: {a.IndicatorCode} ({a.Group})\nDepartment: {a.Department}\nSeverity: {a.Severity}\nAt: {a.CreatedAt:u}")),
            BodyEncoding = Encoding.UTF8,
            SubjectEncoding = Encoding.UTF8,
        };
        mail.Headers.Add("X-Cnh-Delivery", message.DeliveryId.ToString());
        using var client = new SmtpClient(smtp.Host, smtp.Port) { EnableSsl = smtp.EnableSsl, DeliveryMethod = SmtpDeliveryMethod.Network };
        if (smtp.Username is not null) client.Credentials = new NetworkCredential(smtp.Username, smtp.Password);
        try
        {
            await client.SendMailAsync(mail, ct);
        }
        catch (SmtpException ex)
        {
            throw new DeliveryFailedException($"SMTP: {ex.StatusCode}: {ex.Message}", (int)ex.StatusCode);
        }
    }
}
