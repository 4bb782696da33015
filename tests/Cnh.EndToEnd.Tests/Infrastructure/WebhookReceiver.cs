using System.Collections.Concurrent;
using Cnh.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cnh.EndToEnd.Tests.Infrastructure;

public sealed record ReceivedWebhook(
    string Body,
    string? Timestamp,
    string? Signature,
    string? DeliveryId,
    bool SignatureValid,
    int AnsweredWith,
    string? TraceParent = null
);

/// <summary>
/// A webhook receiver as a department would run it: checks the signature with its secret, and answers with a
/// programmable status (fail the first N calls, or fail until told otherwise).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    int _calls;

    WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }
    public string Secret { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Calls to answer with 500 before answering 200.</summary>
    public int FailFirst { get; set; }
    public bool FailAll { get; set; }

    /// <summary>How long to wait before answering (a receiver that hangs).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Answer every call with a 307 to this URL (a receiver trying to bounce the platform elsewhere).</summary>
    public string? RedirectTo { get; set; }
    public IReadOnlyList<ReceivedWebhook> Received => _received.ToArray();
    public int Accepted => _received.Count(r => r.AnsweredWith is >= 200 and < 300);

    /// <summary>Calls about one indicator (a receiver may also get alerts of indicators its department coordinates).</summary>
    public IReadOnlyList<ReceivedWebhook> About(string indicator) =>
        Received.Where(r => r.Body.Contains($"\"indicatorCode\":\"{indicator}\"")).ToList();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var port = TestEnvironment.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, $"http://127.0.0.1:{port}/hooks/cnh");
        app.MapPost("/hooks/cnh", async (HttpRequest request) =>
        {
            if (receiver.Delay > TimeSpan.Zero)
                await Task.Delay(receiver.Delay);
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var timestamp = request.Headers[WebhookSignature.TimestampHeader].ToString();
            var signature = request.Headers[WebhookSignature.SignatureHeader].ToString();
            var valid = WebhookSignature.Verify(receiver.Secret, timestamp, body, signature, DateTimeOffset.UtcNow);
            var call = Interlocked.Increment(ref receiver._calls);
            var status =
                receiver.RedirectTo is not null ? 307
                : !valid ? 401
                : receiver.FailAll || call <= receiver.FailFirst ? 500
                : 200;
            receiver._received.Enqueue(
                new ReceivedWebhook(
                    body,
                    timestamp,
                    signature,
                    request.Headers[WebhookSignature.DeliveryHeader],
                    valid,
                    status,
                    request.Headers["traceparent"].ToString()
                )
            );
            return receiver.RedirectTo is { } target
                ? Results.Redirect(target, permanent: false, preserveMethod: true)
                : Results.StatusCode(status);
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
