using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cnh.Bench;

public sealed record PageResult(string Path, LatencySummary Latency, int Failed, long HtmlBytes, long TransferBytes);

public sealed record PortalResult(
    int Readers,
    double Seconds,
    double PagesPerSecond,
    IReadOnlyList<PageResult> Pages,
    LoadResult? SubmissionLoad
);

/// <summary>
/// Readers of the portal (each asks the overview and an indicator page in turn, as fast as answered) while departments'
/// submissions stream in: how long a server-rendered page takes through the gateway, and what a first visit transfers
/// (the page and every script, style and icon it links).
/// </summary>
public static partial class PortalReaders
{
    public static async Task<PortalResult> RunAsync(
        BenchPlatform platform,
        ScoredWatcher watcher,
        string gatewayUrl,
        int readers,
        int workers,
        TimeSpan duration,
        Action<string> progress
    )
    {
        using var http = new HttpClient { BaseAddress = new Uri(gatewayUrl), Timeout = TimeSpan.FromSeconds(30) };
        string[] paths = ["/", "/indicators/KT01"];
        var latencies = paths.ToDictionary(p => p, _ => new Latencies());
        var failed = paths.ToDictionary(p => p, _ => 0);
        // Warm the pages (first render compiles them) before measuring.
        foreach (var path in paths)
            (await http.GetAsync(path)).EnsureSuccessStatusCode();

        var load = SubmissionLoad.ClosedLoopAsync(platform, watcher, [gatewayUrl], "portal-submissions", workers, duration, _ => { });
        var stopwatch = Stopwatch.StartNew();
        var pages = 0;
        await Task.WhenAll(
            Enumerable
                .Range(0, readers)
                .Select(async r =>
                {
                    for (var i = r; stopwatch.Elapsed < duration; i++)
                    {
                        var path = paths[i % paths.Length];
                        var started = Stopwatch.GetTimestamp();
                        try
                        {
                            using var response = await http.GetAsync(path);
                            await response.Content.ReadAsByteArrayAsync();
                            if (response.IsSuccessStatusCode)
                                latencies[path].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                            else
                                lock (failed)
                                    failed[path]++;
                        }
                        catch (HttpRequestException)
                        {
                            lock (failed)
                                failed[path]++;
                        }
                        Interlocked.Increment(ref pages);
                    }
                })
        );
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var submissions = await load;
        progress($"  {pages / seconds:0} pages/s with {readers} readers; overview {latencies["/"].Summarize()}");

        var results = new List<PageResult>();
        foreach (var path in paths)
        {
            var (html, total) = await TransferAsync(http, path);
            results.Add(new PageResult(path, latencies[path].Summarize(), failed[path], html, total));
        }
        return new PortalResult(readers, Math.Round(seconds, 1), Math.Round(pages / seconds, 1), results, submissions);
    }

    /// <summary>A first visit: the page, then each stylesheet, script and icon it links, as a browser asks them (compressed if
    /// offered).</summary>
    static async Task<(long Html, long Total)> TransferAsync(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.ParseAdd("gzip, br");
        using var page = await http.SendAsync(request);
        var bytes = await page.Content.ReadAsByteArrayAsync();
        using var plain = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.All })
        {
            BaseAddress = http.BaseAddress,
        };
        var html = await plain.GetStringAsync(path);
        long total = bytes.Length;
        foreach (var asset in Assets().Matches(html).Select(m => m.Groups["url"].Value).Distinct())
        {
            using var assetRequest = new HttpRequestMessage(HttpMethod.Get, "/" + asset.TrimStart('/'));
            assetRequest.Headers.AcceptEncoding.ParseAdd("gzip, br");
            using var response = await http.SendAsync(assetRequest);
            total += (await response.Content.ReadAsByteArrayAsync()).Length;
        }
        return (bytes.Length, total);
    }

    [GeneratedRegex("""(?:src|href)="(?<url>[^"]+\.(?:js|css|svg))""")]
    private static partial Regex Assets();
}
