namespace Cnh.Bench;

/// <summary>
/// Highest resident memory seen by sampling, the kernel's high-water mark (VmHWM), and the highest private part:
/// RssAnon (heap, stacks, native allocations) plus RssShmem (the runtime's JIT'd code and stubs, which it maps twice
/// through a memfd for W^X) — without the mapped files of the framework and libraries, which processes share.
/// </summary>
public sealed record MemoryPeak(double SampledPeakMb, double? HighWaterMb, double PrivatePeakMb)
{
    public double Mb => HighWaterMb ?? SampledPeakMb;
}

/// <summary>
/// The platform's processes as seen in /proc: each service's process (the child of its ./cnh supervisor), the Aspire
/// dashboard, PostgreSQL and RabbitMQ. Samples resident memory while the benchmark runs, and CPU time per phase, to show where time goes.
/// </summary>
public sealed class ProcessStats : IDisposable
{
    static readonly string[] BaseServices = ["gateway", "catalogue", "submissions", "scoring", "notifications", "portal"];
    static readonly long TicksPerSecond = 100; // USER_HZ on Linux
    readonly string _home;
    readonly Dictionary<string, long> _peakRssKb = new();
    readonly Dictionary<string, long> _peakPrivateKb = new();
    readonly Timer _timer;
    readonly string[] _services;

    public ProcessStats(string home)
    {
        _home = home;
        // With ./cnh up --instances 2 the second instance of each runs as "<service>-2": each is measured on its own.
        _services = BaseServices
            .SelectMany(s => new[] { s }.Concat(Enumerable.Range(2, 8).Select(i => $"{s}-{i}").Where(n => File.Exists(PidFile(n)))))
            .ToArray();
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
    }

    /// <summary>Peak resident memory per service seen while sampling, and the kernel's own high-water mark.</summary>
    public Dictionary<string, MemoryPeak> Memory()
    {
        lock (_peakRssKb)
            return _services.ToDictionary(
                s => s,
                s => new MemoryPeak(
                    Math.Round(_peakRssKb.GetValueOrDefault(s) / 1024.0, 1),
                    Pid(s) is { } pid && StatusKb(pid, "VmHWM") is { } hwm ? Math.Round(hwm / 1024.0, 1) : null,
                    Math.Round(_peakPrivateKb.GetValueOrDefault(s) / 1024.0, 1)
                )
            );
    }

    /// <summary>CPU seconds used so far by each service, by PostgreSQL and by RabbitMQ.</summary>
    public Dictionary<string, double> CpuSeconds()
    {
        var result = _services.ToDictionary(
            s => s,
            s => Pid(s) is { } pid ? Ticks(pid, withReapedChildren: false) / (double)TicksPerSecond : 0
        );
        // A backend that exits takes its CPU time with it, except into its parent's (the postmaster's) reaped-children time.
        result["postgresql"] = AllNamed("postgres").Sum(pid => Ticks(pid, withReapedChildren: true)) / (double)TicksPerSecond;
        result["rabbitmq"] = AllNamed("beam.smp").Sum(pid => Ticks(pid, withReapedChildren: true)) / (double)TicksPerSecond;
        // The Aspire dashboard that ./cnh up starts takes in every span, log and metric: on a shared machine its CPU counts.
        if (Pid("dashboard") is { } dashboard)
            result["dashboard"] = Ticks(dashboard, withReapedChildren: false) / (double)TicksPerSecond;
        return result;
    }

    public static Dictionary<string, double> Delta(Dictionary<string, double> before, Dictionary<string, double> after, double seconds) =>
        after.ToDictionary(a => a.Key, a => Math.Round((a.Value - before.GetValueOrDefault(a.Key)) / seconds * 100, 0));

    void Sample()
    {
        lock (_peakRssKb)
            foreach (var s in _services)
                if (Pid(s) is { } pid)
                {
                    var status = Status(pid);
                    if (status.GetValueOrDefault("VmRSS") is { } rss && rss > _peakRssKb.GetValueOrDefault(s))
                        _peakRssKb[s] = rss;
                    // RssShmem is absent from kernels before 4.5: then the private part is RssAnon alone.
                    if (status.GetValueOrDefault("RssAnon") is { } anon)
                    {
                        var own = anon + (status.GetValueOrDefault("RssShmem") ?? 0);
                        if (own > _peakPrivateKb.GetValueOrDefault(s))
                            _peakPrivateKb[s] = own;
                    }
                }
    }

    /// <summary>
    /// The supervised program itself (dotnet, or the dashboard's executable): `./cnh up` writes its pid to
    /// pids/&lt;name&gt;.child; the supervisor's other children (the log rotation, a `sleep` between restarts) are not it.
    /// </summary>
    string PidFile(string service) => Path.Combine(_home, "pids", $"{service}.child");

    int? Pid(string service)
    {
        try
        {
            var child = int.Parse(File.ReadAllText(PidFile(service)).Trim());
            return Comm(child) is { } comm && comm != "bash" && comm != "sleep" ? child : null;
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    static string? Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    static IEnumerable<int> AllNamed(string comm) =>
        Directory
            .EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(d => d!.All(char.IsAsciiDigit))
            .Select(d => int.Parse(d!))
            .Where(pid => Comm(pid) == comm);

    static long Ticks(int pid, bool withReapedChildren)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var own = long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime
            return withReapedChildren ? own + long.Parse(fields[13]) + long.Parse(fields[14]) : own; // cutime, cstime
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return 0;
        }
    }

    static long? StatusKb(int pid, string field) => Status(pid).GetValueOrDefault(field);

    /// <summary>The kB figures of /proc/&lt;pid&gt;/status (VmRSS, RssAnon…), read at once; empty when the process is gone.</summary>
    static Dictionary<string, long?> Status(int pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/status")
                .Select(l => l.Split(':', 2))
                .Where(p => p.Length == 2 && p[1].TrimEnd().EndsWith(" kB", StringComparison.Ordinal))
                .ToDictionary(p => p[0], p => (long?)long.Parse(p[1].Trim().Split(' ')[0]));
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return [];
        }
    }

    public void Dispose() => _timer.Dispose();
}
