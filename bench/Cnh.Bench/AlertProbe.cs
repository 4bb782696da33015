using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Cnh.Bench;

public sealed record AlertResult(int Samples, int Delivered, LatencySummary SubmitToWebhook);

/// <summary>
/// Alert latency as a department would see it: a value that makes an indicator fall behind (or recover) is submitted,
/// and the clock stops when the platform's webhook call arrives at a listener of the benchmark's own.
/// </summary>
public static class AlertProbe
{
    public static async Task<AlertResult> RunAsync(BenchPlatform platform, string code, int samples, Action<string> progress)
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = Channel.CreateUnbounded<long>();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch
                {
                    return;
                }
                received.Writer.TryWrite(Stopwatch.GetTimestamp());
                context.Response.StatusCode = 204;
                context.Response.Close();
            }
        });
        var subscription = await platform.Send(
            HttpMethod.Post,
            "/api/subscriptions",
            new
            {
                channel = "webhook",
                url = $"http://127.0.0.1:{port}/alerts",
                department = BenchPlatform.Department,
            }
        );
        var latencies = new Latencies();
        try
        {
            var (_, token) = platform.Clients[0];
            for (var i = 0; i < samples; i++)
            {
                while (received.Reader.TryRead(out _)) { }
                // Alternately far behind (below the baseline) and achieved: each value changes the status, so each raises an alert.
                var value = i % 2 == 0 ? 5.0 : 80.0;
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{platform.GatewayUrl}/api/submissions")
                {
                    Content = JsonContent.Create(
                        new
                        {
                            indicatorCode = code,
                            period = "2100",
                            value,
                            note = "bench alert probe",
                        }
                    ),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var started = Stopwatch.GetTimestamp();
                using var response = await platform.Http.SendAsync(request);
                if ((int)response.StatusCode != 202)
                    throw new InvalidOperationException($"alert probe submission: {(int)response.StatusCode}");
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    var at = await received.Reader.ReadAsync(timeout.Token);
                    latencies.Add((at - started) * 1000.0 / Stopwatch.Frequency);
                }
                catch (OperationCanceledException)
                {
                    progress($"  alert {i + 1}: no webhook within 30 s");
                }
            }
        }
        finally
        {
            await platform.Send(
                HttpMethod.Delete,
                $"/api/subscriptions/{subscription.GetProperty("subscription").GetProperty("id").GetGuid()}"
            );
        }
        return new AlertResult(samples, latencies.Count, latencies.Summarize());
    }

    static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
