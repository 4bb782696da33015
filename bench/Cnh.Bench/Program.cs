using System.Text.Json;
using Cnh.Bench;
using RabbitMQ.Client;

// cnh-bench: load through the gateway and straight to submissions, raw RabbitMQ and PostgreSQL baselines, a large batch
// import, portal pages under load, alert latency and memory — against a platform started with ./cnh up. See bench/README.md.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"cnh bench: {ex.Message}");
    Console.Error.WriteLine(
        "options: --quick --duration S --workers N --rate N --latency-duration S --batch-values N --batch-size N "
            + "--alert-samples N --history-values N --readers N --baseline-duration S --clients N --warm-up S --skip phase,… --gateway URL "
            + "--submissions URL --out FILE"
    );
    return 2;
}
void Progress(string line) => Console.Error.WriteLine(line);
var rabbit = new ConnectionFactory
{
    HostName = "127.0.0.1",
    VirtualHost = Environment.GetEnvironmentVariable("CNH_RABBIT_VHOST") ?? "cnh",
    UserName = "cnh",
    Password = BenchOptions.Secret("CNH_RABBIT_PASSWORD"),
};

// As the services connect (./cnh): no TLS over loopback.
var postgres =
    $"Host=127.0.0.1;Port=5432;Database=postgres;Username=cnh;Password={BenchOptions.Secret("CNH_PG_PASSWORD")};SSL Mode=Disable";

using var stats = new ProcessStats(options.Home);
var report = new BenchReport(options, Environment.ProcessorCount, MachineInfo.Describe());
async Task<T?> Phase<T>(string name, Func<Task<T>> run)
    where T : class
{
    Progress($"» {name}");
    var before = stats.CpuSeconds();
    var started = DateTime.UtcNow;
    try
    {
        return await run();
    }
    catch (Exception ex)
    {
        // One phase failing (a timeout, a refused request) still leaves the others' numbers.
        report.Errors[name] = ex.Message;
        Progress($"  {name} failed: {ex.Message}");
        return null;
    }
    finally
    {
        report.Cpu[name] = ProcessStats.Delta(before, stats.CpuSeconds(), (DateTime.UtcNow - started).TotalSeconds);
    }
}

if (!options.Skip.Contains("baselines"))
{
    report.RabbitMq = await Phase("rabbitmq-baseline", () =>
        Baselines.RabbitMqAsync(rabbit, options.Workers, TimeSpan.FromSeconds(options.BaselineSeconds))
    );
    report.Postgres = await Phase("postgres-baseline", () =>
        Baselines.PostgresAsync(postgres, options.Workers, TimeSpan.FromSeconds(options.BaselineSeconds))
    );
}

await using (var platform = new BenchPlatform(options))
{
    await platform.SetUpAsync(indicatorCount: 26);
    await using var watcher = await ScoredWatcher.StartAsync(rabbit);
    var duration = TimeSpan.FromSeconds(options.DurationSeconds);
    if (options.WarmUpSeconds > 0)
    {
        // Freshly started services are still compiling their hot paths (tiered JIT): load them first, unmeasured.
        Progress($"» warm-up ({options.WarmUpSeconds} s, not measured)");
        await SubmissionLoad.ClosedLoopAsync(
            platform,
            watcher,
            options.GatewayUrls,
            "warm-up",
            options.Workers,
            TimeSpan.FromSeconds(options.WarmUpSeconds),
            Progress
        );
    }
    if (!options.Skip.Contains("gateway"))
        report.Gateway = await Phase("gateway", () =>
            SubmissionLoad.ClosedLoopAsync(platform, watcher, options.GatewayUrls, "gateway", options.Workers, duration, Progress)
        );
    if (!options.Skip.Contains("history"))
    {
        report.History = await Phase("history-load", () => HistoryLoad.RunAsync(postgres, platform, options.HistoryValues, Progress));
        report.GatewayWithHistory = await Phase("gateway-history", () =>
            SubmissionLoad.ClosedLoopAsync(platform, watcher, options.GatewayUrls, "gateway-history", options.Workers, duration, Progress)
        );
    }
    if (!options.Skip.Contains("direct"))
        report.Direct = await Phase("direct", () =>
            SubmissionLoad.ClosedLoopAsync(platform, watcher, [options.SubmissionsUrl], "direct", options.Workers, duration, Progress)
        );
    if (!options.Skip.Contains("latency"))
        report.FixedRate = await Phase("fixed-rate", () =>
            SubmissionLoad.OpenLoopAsync(
                platform,
                watcher,
                options.GatewayUrl,
                $"{options.LatencyRate}/s",
                options.LatencyRate,
                TimeSpan.FromSeconds(options.LatencySeconds),
                Progress
            )
        );
    if (!options.Skip.Contains("batch"))
        report.Batch = await Phase("batch", () =>
            BatchLoad.RunAsync(platform, watcher, options.GatewayUrl, options.BatchValues, options.BatchSize, Progress)
        );
    if (!options.Skip.Contains("portal"))
        report.Portal = await Phase("portal", () =>
            PortalReaders.RunAsync(platform, watcher, options.GatewayUrl, options.Readers, options.Workers, duration, Progress)
        );
    if (!options.Skip.Contains("alerts"))
        report.Alerts = await Phase("alerts", () => AlertProbe.RunAsync(platform, platform.AlertIndicator, options.AlertSamples, Progress));
}
report.Memory = stats.Memory();

Console.WriteLine(report.ToTable());
var output = options.Output ?? Path.Combine("bench", "results", $"bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(
    output,
    JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true })
);
Console.WriteLine($"JSON: {output}");
return 0;
