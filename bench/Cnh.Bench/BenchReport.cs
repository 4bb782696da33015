using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace Cnh.Bench;

/// <summary>Everything measured, the targets of issue #17 checked against it, and where the CPU went in each phase.</summary>
public sealed class BenchReport(BenchOptions options, int cores, string machine)
{
    public DateTimeOffset RanAt { get; } = DateTimeOffset.UtcNow;
    public string Machine { get; } = machine;
    public int Cores { get; } = cores;

    /// <summary>Instances of each service (but the portal) and the gateways the load was spread over.</summary>
    public int Instances { get; } = options.Instances;
    public object Settings { get; } = new
    {
        options.DurationSeconds,
        options.Workers,
        options.Clients,
        options.LatencyRate,
        options.LatencySeconds,
        options.BatchValues,
        options.BatchSize,
        options.HistoryValues,
    };
    public BaselineResult? RabbitMq { get; set; }
    public BaselineResult? Postgres { get; set; }
    public LoadResult? Gateway { get; set; }
    public HistoryResult? History { get; set; }

    /// <summary>The gateway phase again, after <see cref="History"/> stored a long history.</summary>
    public LoadResult? GatewayWithHistory { get; set; }
    public LoadResult? Direct { get; set; }
    public LoadResult? FixedRate { get; set; }
    public BatchResult? Batch { get; set; }
    public AlertResult? Alerts { get; set; }
    public PortalResult? Portal { get; set; }
    public Dictionary<string, MemoryPeak> Memory { get; set; } = new();

    /// <summary>Per phase: CPU of each process in percent of one core (200 = both cores of a 2-core machine).</summary>
    public Dictionary<string, Dictionary<string, double>> Cpu { get; } = new();
    public Dictionary<string, string> Errors { get; } = new();

    /// <summary>
    /// The platform's processes: gateway, services, PostgreSQL and RabbitMQ. The dashboard is measured and shown, but
    /// left out of the sums: it is an ops tool that takes in what is sampled, and belongs on a machine of its own.
    /// </summary>
    static bool IsPlatform(string process) => process != "dashboard";

    IEnumerable<(string Phase, LoadResult Load)> LoadPhases =>
        new[] { ("gateway", Gateway), ("gateway-history", GatewayWithHistory), ("direct", Direct), ("fixed-rate", FixedRate) }
            .Where(p => p.Item2 is { AcceptedPerSecond: > 0 } && Cpu.ContainsKey(p.Item1))
            .Select(p => (p.Item1, p.Item2!));

    /// <summary>
    /// CPU milliseconds of the platform's processes per accepted submission in a load phase: unlike a rate, it travels
    /// between machines with other core counts.
    /// </summary>
    public Dictionary<string, double> CpuMillisecondsPerSubmission =>
        LoadPhases.ToDictionary(
            p => p.Phase,
            p => Math.Round(MillisecondsPerSubmission(Cpu[p.Phase].Where(c => IsPlatform(c.Key)).Sum(c => c.Value), p.Load), 2)
        );

    /// <summary>A share of one core (percent) over a phase, as CPU milliseconds per submission it accepted.</summary>
    static double MillisecondsPerSubmission(double percentOfCore, LoadResult load) => percentOfCore * 10 / load.AcceptedPerSecond;

    /// <summary>The same, per process (the dashboard included, for what it costs to look).</summary>
    public Dictionary<string, Dictionary<string, double>> CpuMillisecondsPerSubmissionByProcess =>
        LoadPhases.ToDictionary(
            p => p.Phase,
            p =>
                Cpu[p.Phase]
                    .OrderByDescending(c => c.Value)
                    .ToDictionary(c => c.Key, c => Math.Round(MillisecondsPerSubmission(c.Value, p.Load), 2))
        );

    public double? GatewayOverheadPercent =>
        Gateway is { } g && Direct is { AcceptedPerSecond: > 0 } d
            ? Math.Round((1 - g.AcceptedPerSecond / d.AcceptedPerSecond) * 100, 1)
            : null;
    public double? ShareOfRabbitMqPercent =>
        Gateway is { } g && RabbitMq is { PerSecond: > 0 } r ? Math.Round(g.AcceptedPerSecond / r.PerSecond * 100, 1) : null;
    public double? ShareOfPostgresPercent =>
        Gateway is { } g && Postgres is { PerSecond: > 0 } p ? Math.Round(g.AcceptedPerSecond / p.PerSecond * 100, 1) : null;

    [JsonPropertyName("targets")]
    public List<TargetCheck> Targets
    {
        get
        {
            var list = new List<TargetCheck>();
            foreach (var (phase, ms) in CpuMillisecondsPerSubmission)
                list.Add(new($"CPU per accepted submission ≤ 1.5 ms ({phase})", $"{ms} ms", ms <= 1.5, Bottleneck(phase)));
            if (Gateway is { } g)
                list.Add(
                    new(
                        "≥ 1,000 submissions/s through the gateway, everything scored ≤ 10 s after the phase",
                        $"{g.AcceptedPerSecond:0}/s over {g.Seconds:0} s; backlog at the end {g.BacklogAtEnd}, "
                            + (
                                g.AllScoredSecondsAfterEnd is { } after
                                    ? $"all scored {after} s after"
                                    : $"{g.Accepted - g.Scored} never scored"
                            ),
                        g.AcceptedPerSecond >= 1000 && g.AllScoredSecondsAfterEnd <= 10,
                        Bottleneck("gateway")
                    )
                );
            if (FixedRate is { } f)
                list.Add(
                    new(
                        $"p99 submit-to-scored ≤ 500 ms at {options.LatencyRate}/s",
                        $"p99 {f.SubmitToScored.P99} ms ({f.AcceptedPerSecond:0}/s accepted)",
                        f.SubmitToScored.P99 <= 500 && f.AcceptedPerSecond >= options.LatencyRate * 0.95,
                        Bottleneck("fixed-rate")
                    )
                );
            if (Gateway is { AcceptedPerSecond: > 0 } empty && GatewayWithHistory is { } full && History is { } h)
                list.Add(
                    new(
                        $"with {h.Values:N0} stored values: throughput and submit-to-scored p50 within 20% of the empty platform's",
                        $"{full.AcceptedPerSecond:0}/s vs {empty.AcceptedPerSecond:0}/s, p50 {full.SubmitToScored.P50} ms vs "
                            + $"{empty.SubmitToScored.P50} ms",
                        full.AcceptedPerSecond >= empty.AcceptedPerSecond * 0.8
                            && full.SubmitToScored.P50 <= empty.SubmitToScored.P50 * 1.2,
                        Bottleneck("gateway-history")
                    )
                );
            if (GatewayOverheadPercent is { } o)
                list.Add(new("the gateway costs ≤ 15% of throughput", $"{o}%", o <= 15, null));
            // The target is for 100,000 values; a smaller import (--quick, --batch-values) cannot meet or miss it.
            if (Batch is { Values: >= 100_000 } b)
                list.Add(
                    new(
                        $"a batch import of {b.Values:N0} values fully scored ≤ 30 s",
                        $"{b.FullyScoredSeconds} s ({b.Scored:N0} scored)",
                        b.FullyScoredSeconds <= 30 && b.Scored == b.Values,
                        Bottleneck("batch")
                    )
                );
            if (Portal is { } portal)
            {
                list.Add(
                    new(
                        $"portal pages p95 ≤ 150 ms with {portal.Readers} readers during submissions",
                        string.Join(", ", portal.Pages.Select(p => $"{p.Path} p95 {p.Latency.P95} ms")),
                        portal.Pages.All(p => p.Latency.P95 <= 150),
                        Bottleneck("portal")
                    )
                );
                list.Add(
                    new(
                        "a portal page's first-visit transfer ≤ 400 KB",
                        string.Join(", ", portal.Pages.Select(p => $"{p.Path} {p.TransferBytes / 1024} KB")),
                        portal.Pages.All(p => p.TransferBytes <= 400 * 1024),
                        null
                    )
                );
            }
            if (Memory.Count > 0)
                list.Add(
                    new(
                        "each service ≤ 250 MB peak RSS, ≤ 150 MB private",
                        string.Join(", ", Memory.Select(m => $"{m.Key} {m.Value.Mb} MB ({m.Value.PrivatePeakMb})")),
                        Memory.All(m => m.Value.Mb <= 250 && m.Value.PrivatePeakMb <= 150),
                        null
                    )
                );
            return list;
        }
    }

    public sealed record TargetCheck(string Target, string Measured, bool Met, string? Bottleneck);

    /// <summary>The busiest process of a phase, and whether the machine's cores were saturated.</summary>
    string? Bottleneck(string phase)
    {
        if (!Cpu.TryGetValue(phase, out var cpu) || cpu.Count == 0)
            return null;
        var total = cpu.Values.Sum();
        var top = cpu.OrderByDescending(c => c.Value).Take(3).Select(c => $"{c.Key} {c.Value:0}%");
        return $"CPU {total:0}% of {Cores * 100}% — busiest: {string.Join(", ", top)}";
    }

    public string ToTable()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"\nCnhPlatform benchmark — {RanAt:yyyy-MM-dd HH:mm} UTC — {Machine}");
        if (Instances > 1)
            s.AppendLine(
                CultureInfo.InvariantCulture,
                $"{Instances} instances of each service, load spread over {options.GatewayUrls.Count} gateways"
            );
        s.AppendLine(new string('─', 110));
        void Row(string name, string throughput, string latency) =>
            s.AppendLine(CultureInfo.InvariantCulture, $"{name.PadRight(44)} {throughput.PadRight(22)} {latency}");
        Row("stage", "throughput", "latency");
        if (RabbitMq is { } r)
            Row(r.Name, $"{r.PerSecond:0} msg/s", $"publish→confirm {r.Latency}");
        if (Postgres is { } p)
            Row(p.Name, $"{p.PerSecond:0} tx/s", $"{p.Latency}");
        foreach (
            var (label, load) in new[]
            {
                ("submissions through the gateway", Gateway),
                ($"the same with {History?.Values ?? 0:N0} stored values", GatewayWithHistory),
                ("submissions straight to the service", Direct),
                ("fixed rate through the gateway", FixedRate),
            }
        )
            if (load is { } l)
            {
                Row(label, $"{l.AcceptedPerSecond:0}/s accepted", $"HTTP {l.HttpLatency}");
                Row(
                    "",
                    $"{l.Accepted} of {l.Sent}",
                    $"submit→scored {l.SubmitToScored}; {l.Scored} scored, {l.BacklogAtEnd} after the phase ended"
                        + (l.AllScoredSecondsAfterEnd is { } after ? $" (the last {after} s after)" : "")
                        + "; codes "
                        + $"{string.Join(" ", l.StatusCodes.Select(c => $"{c.Key}×{c.Value}"))}"
                );
            }
        if (Batch is { } b)
            Row(
                $"batch import ({b.Values:N0} values, {b.BatchSize:N0}/batch)",
                $"{b.ValuesPerSecond:0} values/s",
                $"accepted in {b.AcceptSeconds} s, fully scored in {b.FullyScoredSeconds} s"
            );
        if (Portal is { } pr)
        {
            foreach (var page in pr.Pages)
                Row(
                    $"portal {page.Path} ({pr.Readers} readers, under load)",
                    $"{pr.PagesPerSecond:0} pages/s (all)",
                    $"{page.Latency}; HTML {page.HtmlBytes / 1024} KB, first visit {page.TransferBytes / 1024} KB"
                );
            if (pr.SubmissionLoad is { } sl)
                Row("", $"{sl.AcceptedPerSecond:0} submissions/s", $"accepted meanwhile; submit→scored {sl.SubmitToScored}");
        }
        if (Alerts is { } a)
            Row("alerts (submit → webhook received)", $"{a.Delivered}/{a.Samples} delivered", a.SubmitToWebhook.ToString());
        if (History is { } h)
            Row($"history loaded ({h.Values:N0} values, COPY)", $"{h.Seconds} s", $"{h.Periods:N0} indicator-months");
        foreach (var (phase, ms) in CpuMillisecondsPerSubmission)
            Row(
                $"CPU per submission ({phase})",
                $"{ms} ms",
                string.Join(", ", CpuMillisecondsPerSubmissionByProcess[phase].Select(p => $"{p.Key} {p.Value}"))
                    + " (ms; the dashboard not in the sum)"
            );
        if (GatewayOverheadPercent is { } o)
            Row("gateway overhead", $"{o}%", "");
        if (ShareOfRabbitMqPercent is { } sr)
            Row("pipeline / RabbitMQ baseline", $"{sr}%", "");
        if (ShareOfPostgresPercent is { } sp)
            Row("pipeline / PostgreSQL baseline", $"{sp}%", "");
        s.AppendLine(new string('─', 110));
        foreach (var (name, value) in Memory)
            Row(
                $"memory {name}",
                $"{value.Mb} MB peak RSS",
                $"of which private {value.PrivatePeakMb} MB (heap, JIT'd code); the rest is mapped library files, shared"
            );
        s.AppendLine(new string('─', 110));
        foreach (var (phase, cpu) in Cpu)
            Row($"CPU {phase}", "", string.Join(", ", cpu.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value:0}%")));
        s.AppendLine(new string('─', 110));
        foreach (var (phase, error) in Errors)
            s.AppendLine(CultureInfo.InvariantCulture, $"FAILED {phase}: {error}");
        foreach (var t in Targets)
            s.AppendLine(
                CultureInfo.InvariantCulture,
                $"{(t.Met ? "MET   " : "MISSED")} {t.Target}: {t.Measured}{(t.Met || t.Bottleneck is null ? "" : $" — {t.Bottleneck}")}"
            );
        return s.ToString();
    }
}

public static class MachineInfo
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]
            : null;
        var ram = memory is null ? "?" : $"{long.Parse(memory) / 1024 / 1024} GiB";
        return $"{Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), {ram} RAM, "
            + $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }
}
