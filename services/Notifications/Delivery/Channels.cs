using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Cnh.Contracts;
using Cnh.Notifications.Data;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Polly.Registry;

namespace Cnh.Notifications.Delivery;

/// <summary>What is sent: one alert, a digest of several, or a briefing (no alert).</summary>
public sealed record OutgoingMessage(Guid DeliveryId, Subscription Subscription, IReadOnlyList<Alert> Alerts, Briefing? Briefing = null)
{
    public string Subject => Briefing?.Subject ?? (Alerts.Count == 1 ? $"[CNH] {Alerts[0].Message}" : $"[CNH] {Alerts.Count} alerts");
}

/// <summary>Thrown for an answer that is not a success after the last attempt.</summary>
public sealed class DeliveryFailedException(string message, int? statusCode = null, Exception? inner = null) : Exception(message, inner)
{
    public int? StatusCode { get; } = statusCode;
}

public interface IChannel
{
    /// <summary>Sends with the channel's retries, recording each attempt in <paramref name="attempts"/>; throws if the last one
    /// fails.</summary>
    Task SendAsync(OutgoingMessage message, DeliveryAttempts attempts, CancellationToken ct);
}

/// <summary>
/// POSTs JSON signed as <see cref="WebhookSignature"/> documents, through the <c>webhook</c> HttpClient whose
/// resilience handler (<see cref="DeliveryResilience"/>) times out, retries and breaks the circuit per receiver.
/// </summary>
public sealed class WebhookChannel(IHttpClientFactory clients, TimeProvider clock, WebhookSecrets secrets) : IChannel
{
    public const string ClientName = "webhook";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task SendAsync(OutgoingMessage message, DeliveryAttempts attempts, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(
            new
            {
                deliveryId = message.DeliveryId,
                digest = message.Alerts.Count > 1,
                alerts = message.Alerts.Select(a => new
                {
                    a.Id,
                    a.Kind,
                    a.Severity,
                    a.IndicatorCode,
                    a.Group,
                    a.Department,
                    a.PreviousStatus,
                    a.NewStatus,
                    a.Score,
                    a.Period,
                    a.Message,
                    a.CreatedAt,
                }),
            },
            Json
        );
        // Signed once: every retry carries the same timestamp and delivery id, so a receiver can drop repeats.
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, message.Subscription.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString());
        request.Headers.Add(
            WebhookSignature.SignatureHeader,
            WebhookSignature.Sign(secrets.Reveal(message.Subscription.Secret!), timestamp, body)
        );
        request.Headers.Add(WebhookSignature.DeliveryHeader, message.DeliveryId.ToString());
        request.Options.Set(DeliveryAttempts.RequestOption, attempts);
        request.Options.Set(DeliveryResilience.SubscriptionOption, message.Subscription.Id.ToString());
        using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new DeliveryFailedException($"Webhook answered {(int)response.StatusCode}", (int)response.StatusCode);
    }
}

/// <summary>
/// Plain-text email (a briefing: text and its PDF attached) through the configured SMTP server with MailKit: STARTTLS
/// (or TLS on 465) and login when configured.
/// </summary>
public sealed class EmailChannel(IOptions<SmtpOptions> options, ResiliencePipelineProvider<string> pipelines) : IChannel
{
    public const string ServerPipeline = "email-server";

    public async Task SendAsync(OutgoingMessage message, DeliveryAttempts attempts, CancellationToken ct)
    {
        var smtp = options.Value;
        using var mail = new MimeMessage { Subject = message.Subject };
        mail.From.Add(MailboxAddress.Parse(smtp.From));
        mail.To.Add(MailboxAddress.Parse(message.Subscription.Email!));
        mail.Headers.Add("X-Cnh-Delivery", message.DeliveryId.ToString());
        mail.Body = message.Briefing is { } briefing
            ? BriefingBody(briefing)
            : new TextPart("plain")
            {
                Text = string.Join(
                    "\n\n",
                    message.Alerts.Select(a =>
                        $"{a.Message}\nIndicator: {a.IndicatorCode} ({a.Group})\nDepartment: {a.Department}\nSeverity: "
                        + $"{a.Severity}\nAt: {a.CreatedAt:u}"
                    )
                ),
            };

        var server = pipelines.GetPipeline<string>(ServerPipeline);
        await attempts.RecordAsync(
            () => server.ExecuteAsync(token => new ValueTask<string>(SendOnceAsync(smtp, mail, token)), ct).AsTask(),
            _ => (true, 250, null)
        );
    }

    static MimeEntity BriefingBody(Briefing briefing)
    {
        var body = new BodyBuilder { TextBody = briefing.Body };
        body.Attachments.Add(briefing.FileName, briefing.Pdf, new ContentType("application", "pdf"));
        return body.ToMessageBody();
    }

    static async Task<string> SendOnceAsync(SmtpOptions smtp, MimeMessage mail, CancellationToken ct)
    {
        using var client = new SmtpClient();
        try
        {
            var security =
                !smtp.EnableSsl ? SecureSocketOptions.None
                : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect
                : SecureSocketOptions.StartTls;
            await client.ConnectAsync(smtp.Host, smtp.Port, security, ct);
            if (!string.IsNullOrEmpty(smtp.Username))
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", ct);
            var answer = await client.SendAsync(mail, ct);
            await client.DisconnectAsync(true, ct);
            return answer;
        }
        catch (SmtpCommandException ex)
        {
            throw new DeliveryFailedException($"SMTP {(int)ex.StatusCode}: {ex.Message}", (int)ex.StatusCode, ex);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or AuthenticationException)
        {
            throw new DeliveryFailedException($"SMTP: {ex.Message}", null, ex);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
        {
            // The mail server's address is the platform's business, not the subscriber's: the detail goes to the log only.
            throw new DeliveryFailedException("The mail server could not be reached.", null, ex);
        }
    }
}

public sealed class ChannelSelector(WebhookChannel webhook, EmailChannel email)
{
    public IChannel For(Subscription s) => s.Channel == Channels.Webhook ? webhook : email;
}

/// <summary>Where a delivery continues the trace of the event that raised its alert.</summary>
public static class DeliveryTracing
{
    public static Activity? Start(string name, IEnumerable<Alert> alerts)
    {
        var parents = alerts
            .Select(a => ActivityContext.TryParse(a.TraceParent, null, out var c) ? c : default)
            .Where(c => c != default)
            .ToList();
        // One alert: the send is part of its trace. A digest: linked to each alert's trace.
        return parents.Count == 1
            ? Cnh.ServiceDefaults.Telemetry.Source.StartActivity(name, ActivityKind.Internal, parents[0])
            : Cnh.ServiceDefaults.Telemetry.Source.StartActivity(
                name,
                ActivityKind.Internal,
                default(ActivityContext),
                links: parents.Select(p => new ActivityLink(p))
            );
    }
}
