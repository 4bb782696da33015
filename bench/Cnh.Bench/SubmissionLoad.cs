using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cnh.Bench;

public sealed record LoadResult(
    string Target,
    double Seconds,
    int Sent,
    int Accepted,
    int Failed,
    IReadOnlyDictionary<int, int> StatusCodes,
    double AcceptedPerSecond,
    LatencySummary HttpLatency,
    LatencySummary SubmitToScored,
    int Scored,
    int BacklogAtEnd,
    double? AllScoredSecondsAfterEnd
);

/// <summary>
/// Department clients submitting single values: closed loop (each worker sends its next value when the last is
/// answered) or open loop at a fixed rate. Every accepted id is remembered with its send time, for submit-to-scored.
/// </summary>
public sealed class SubmissionLoad(BenchPlatform platform, ScoredWatcher watcher)
{
    readonly ConcurrentDictionary<Guid, long> _sentAt = new();
    readonly string? _gatewaySecret = platform.GatewaySecret;
    readonly ConcurrentDictionary<int, int> _codes = new();
    readonly Latencies _http = new();
    int _sent,
        _accepted,
        _failed;

    /// <summary>As many workers as given, each submitting again as soon as it is answered; several base URLs share them.</summary>
    public static async Task<LoadResult> ClosedLoopAsync(
        BenchPlatform platform,
        ScoredWatcher watcher,
        IReadOnlyList<string> baseUrls,
        string target,
        int workers,
        TimeSpan duration,
        Action<string> progress
    )
    {
        var load = new SubmissionLoad(platform, watcher);
        var stopwatch = Stopwatch.StartNew();
        using var report = ReportProgress(load, stopwatch, duration, progress, target);
        await Task.WhenAll(
            Enumerable
                .Range(0, workers)
                .Select(async w =>
                {
                    var random = new Random(w);
                    while (stopwatch.Elapsed < duration)
                        await load.SubmitAsync(baseUrls[w % baseUrls.Count], random, w);
                })
        );
        return await load.FinishAsync(target, stopwatch.Elapsed.TotalSeconds, Stopwatch.GetTimestamp());
    }

    public static async Task<LoadResult> OpenLoopAsync(
        BenchPlatform platform,
        ScoredWatcher watcher,
        string baseUrl,
        string target,
        int rate,
        TimeSpan duration,
        Action<string> progress
    )
    {
        var load = new SubmissionLoad(platform, watcher);
        var stopwatch = Stopwatch.StartNew();
        using var report = ReportProgress(load, stopwatch, duration, progress, target);
        var inFlight = new List<Task>();
        var random = new Random(42);
        var total = (int)(rate * duration.TotalSeconds);
        for (var i = 0; i < total; i++)
        {
            // Read the clock once: reading it again after the comparison could give a negative wait, which Task.Delay rejects.
            var wait = TimeSpan.FromSeconds((double)i / rate) - stopwatch.Elapsed;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
            inFlight.Add(load.SubmitAsync(baseUrl, new Random(random.Next()), i));
        }
        await Task.WhenAll(inFlight);
        return await load.FinishAsync(target, stopwatch.Elapsed.TotalSeconds, Stopwatch.GetTimestamp());
    }

    async Task SubmitAsync(string baseUrl, Random random, int worker)
    {
        var (_, token) = platform.Clients[worker % platform.Clients.Count];
        var body = new
        {
            indicatorCode = platform.Indicators[random.Next(platform.Indicators.Count)],
            period = BenchPlatform.RandomPeriod(random),
            value = Math.Round(45 + random.NextDouble() * 10, 2),
            note = "bench",
        };
        // Serialized first, so the request carries a Content-Length as curl's and most clients' do (JsonContent streams it chunked).
        var json = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body));
        json.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/api/submissions") { Content = json };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (!platform.GatewayUrls.Contains(baseUrl) && _gatewaySecret is not null)
            request.Headers.Add("X-Cnh-Gateway", _gatewaySecret);
        var started = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _sent);
        try
        {
            using var response = await platform.Http.SendAsync(request);
            _http.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            _codes.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            if ((int)response.StatusCode == 202)
            {
                var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                _sentAt[id] = started;
                Interlocked.Increment(ref _accepted);
            }
            else
                Interlocked.Increment(ref _failed);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref _failed);
            _codes.AddOrUpdate(0, 1, (_, n) => n + 1);
        }
    }

    /// <param name="endedAt">When the last value was answered: what is not scored by then is the phase's backlog.</param>
    async Task<LoadResult> FinishAsync(string target, double seconds, long endedAt)
    {
        var scored = await watcher.WaitAsync(_sentAt.Keys.ToList(), TimeSpan.FromSeconds(120));
        var toScored = new Latencies();
        var backlog = 0;
        var lastScored = endedAt;
        foreach (var (id, sentAt) in _sentAt)
            if (watcher.TryGetScoredAt(id, out var at))
            {
                toScored.Add((at - sentAt) * 1000.0 / Stopwatch.Frequency);
                if (at > endedAt)
                    backlog++;
                lastScored = Math.Max(lastScored, at);
            }
            else
                backlog++;
        return new LoadResult(
            target,
            Math.Round(seconds, 1),
            _sent,
            _accepted,
            _failed,
            new Dictionary<int, int>(_codes),
            Math.Round(_accepted / seconds, 1),
            _http.Summarize(),
            toScored.Summarize(),
            scored,
            backlog,
            scored == _sentAt.Count ? Math.Round((lastScored - endedAt) / (double)Stopwatch.Frequency, 1) : null
        );
    }

    static Timer ReportProgress(SubmissionLoad load, Stopwatch stopwatch, TimeSpan duration, Action<string> progress, string target) =>
        new(
            _ =>
                progress(
                    $"  {target}: {stopwatch.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture).PadLeft(5)}"
                        + $"/{duration.TotalSeconds:0} s, {load._accepted} accepted, {load._failed} failed, "
                        + $"{load._accepted / Math.Max(0.001, stopwatch.Elapsed.TotalSeconds):0}/s"
                ),
            null,
            TimeSpan.FromSeconds(2),
            TimeSpan.FromSeconds(2)
        );
}
