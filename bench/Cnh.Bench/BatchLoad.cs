using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cnh.Bench;

public sealed record BatchResult(
    int Values,
    int BatchSize,
    double AcceptSeconds,
    double FullyScoredSeconds,
    int Scored,
    double ValuesPerSecond,
    LatencySummary BatchHttpLatency
);

/// <summary>
/// A large import as CSV batches, one after the other (batches of the same indicators are stored one at a time anyway),
/// each with an Idempotency-Key so that a retry after a timeout cannot store it twice; timed until every value has
/// been credited by IndicatorScored.
/// </summary>
public static class BatchLoad
{
    public static async Task<BatchResult> RunAsync(
        BenchPlatform platform,
        ScoredWatcher watcher,
        string baseUrl,
        int values,
        int batchSize,
        Action<string> progress
    )
    {
        var ids = new List<Guid>();
        var http = new Latencies();
        var stopwatch = Stopwatch.StartNew();
        var batches = Enumerable.Range(0, (values + batchSize - 1) / batchSize).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 1 }, async (b, ct) =>
        {
            var random = new Random(b);
            var csv = new StringBuilder("indicatorCode,period,value,note\n");
            var rows = Math.Min(batchSize, values - b * batchSize);
            for (var i = 0; i < rows; i++)
                csv.Append(
                    CultureInfo.InvariantCulture,
                    $"{platform.Indicators[random.Next(platform.Indicators.Count)]},{BenchPlatform.RandomPeriod(random)},"
                        + $"{45 + random.NextDouble() * 10:0.00},bench\n"
                );
            var key = Guid.NewGuid().ToString();
            HttpResponseMessage response;
            var attempt = 0;
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/api/submissions/batch")
                {
                    Content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", platform.Clients[b % platform.Clients.Count].Token);
                request.Headers.Add("Idempotency-Key", key);
                var started = Stopwatch.GetTimestamp();
                response = await platform.Http.SendAsync(request, ct);
                http.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if ((int)response.StatusCode < 500 || ++attempt == 3)
                    break;
                progress($"  batch {b + 1}: {(int)response.StatusCode}, sending it again with the same Idempotency-Key");
                response.Dispose();
            }
            using var _ = response;
            var text = await response.Content.ReadAsStringAsync(ct);
            if ((int)response.StatusCode != 202)
                throw new InvalidOperationException($"batch {b}: {(int)response.StatusCode} {text[..Math.Min(400, text.Length)]}");
            using var summary = JsonDocument.Parse(text);
            lock (ids)
                ids.AddRange(summary.RootElement.GetProperty("acceptedRows").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
            progress($"  batch {b + 1}/{batches.Count} accepted after {stopwatch.Elapsed.TotalSeconds:0.0} s");
        });
        var accepted = stopwatch.Elapsed.TotalSeconds;
        using var report = new Timer(
            _ =>
                progress(
                    $"  scoring: {ids.Count(id => watcher.TryGetScoredAt(id, out long _))}/{ids.Count} scored after "
                        + $"{stopwatch.Elapsed.TotalSeconds:0} s"
                ),
            null,
            TimeSpan.FromSeconds(5),
            TimeSpan.FromSeconds(5)
        );
        var scored = await watcher.WaitAsync(ids, TimeSpan.FromSeconds(600));
        var all = stopwatch.Elapsed.TotalSeconds;
        return new BatchResult(
            ids.Count,
            batchSize,
            Math.Round(accepted, 1),
            Math.Round(all, 1),
            scored,
            Math.Round(scored / all, 1),
            http.Summarize()
        );
    }
}
