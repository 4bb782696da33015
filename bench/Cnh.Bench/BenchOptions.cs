using System.Globalization;

namespace Cnh.Bench;

/// <summary>Command line: <c>--duration 60 --workers 32 --rate 500 --batch-values 100000 --skip alerts,baselines</c>.</summary>
public sealed record BenchOptions
{
    public int DurationSeconds { get; init; } = 60;
    public int Workers { get; init; } = 32;
    public int LatencyRate { get; init; } = 500;
    public int LatencySeconds { get; init; } = 30;
    public int BatchValues { get; init; } = 100_000;
    public int BatchSize { get; init; } = 10_000;
    public int AlertSamples { get; init; } = 20;

    /// <summary>Stored values the history phase loads before it repeats the gateway phase.</summary>
    public int HistoryValues { get; init; } = 1_000_000;

    /// <summary>Concurrent readers of the portal's pages in the portal phase.</summary>
    public int Readers { get; init; } = 20;
    public int BaselineSeconds { get; init; } = 15;
    public int Clients { get; init; } = 16;
    public int WarmUpSeconds { get; init; } = 20;
    public HashSet<string> Skip { get; init; } = [];
    public string GatewayUrl => GatewayUrls[0];

    /// <summary>The gateways the throughput phases spread their workers over (several with <c>./cnh bench --instances 2</c>).</summary>
    public IReadOnlyList<string> GatewayUrls { get; init; } =
    [Environment.GetEnvironmentVariable("CNH_GATEWAY_URL") ?? "http://127.0.0.1:5080"];

    /// <summary>How many instances of each service run (as ./cnh started them): a label of the report.</summary>
    public int Instances { get; init; } = 1;
    public string SubmissionsUrl { get; init; } = Environment.GetEnvironmentVariable("CNH_SUBMISSIONS_URL") ?? "http://127.0.0.1:5082";
    public string Home { get; init; } =
        Environment.GetEnvironmentVariable("CNH_HOME") ?? Path.Combine(Directory.GetCurrentDirectory(), ".cnh");
    public string? Output { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--duration" => o with { DurationSeconds = Int() },
                "--workers" => o with { Workers = Int() },
                "--rate" => o with { LatencyRate = Int() },
                "--latency-duration" => o with { LatencySeconds = Int() },
                "--batch-values" => o with { BatchValues = Int() },
                "--batch-size" => o with { BatchSize = Int() },
                "--alert-samples" => o with { AlertSamples = Int() },
                "--history-values" => o with { HistoryValues = Int() },
                "--readers" => o with { Readers = Int() },
                "--baseline-duration" => o with { BaselineSeconds = Int() },
                "--clients" => o with { Clients = Int() },
                "--warm-up" => o with { WarmUpSeconds = Int() },
                "--skip" => o with { Skip = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet() },
                "--gateway" => o with { GatewayUrls = Next().Split(',', StringSplitOptions.RemoveEmptyEntries) },
                "--instances" => o with { Instances = Int() },
                "--submissions" => o with { SubmissionsUrl = Next() },
                "--out" => o with { Output = Next() },
                "--quick" => o with
                {
                    DurationSeconds = 10,
                    LatencySeconds = 10,
                    BatchValues = 20_000,
                    AlertSamples = 5,
                    BaselineSeconds = 5,
                },
                _ => throw new ArgumentException($"unknown option {args[i]}; see bench/README.md"),
            };
        }
        return o;
    }

    /// <summary>The server passwords, from the environment or the machine's secrets file (as ./cnh writes it).</summary>
    public static string Secret(string name)
    {
        if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            return value;
        var file = Environment.GetEnvironmentVariable("CNH_SECRETS_FILE")
            ?? Path.Combine(
                Environment.GetEnvironmentVariable("XDG_CONFIG_HOME")
                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"),
                "cnh",
                "secrets.env"
            );
        foreach (var line in File.ReadAllLines(file))
            if (line.StartsWith(name + "=", StringComparison.Ordinal))
                return line[(name.Length + 1)..].Trim();
        throw new InvalidOperationException($"{name} is neither in the environment nor in {file}");
    }
}
