namespace Cnh.Bench;

/// <summary>Samples in milliseconds, and their percentiles (nearest rank).</summary>
public sealed class Latencies
{
    readonly List<double> _samples = [];

    public void Add(double ms)
    {
        lock (_samples)
            _samples.Add(ms);
    }

    public int Count
    {
        get
        {
            lock (_samples)
                return _samples.Count;
        }
    }

    public LatencySummary Summarize()
    {
        double[] sorted;
        lock (_samples)
            sorted = _samples.Order().ToArray();
        if (sorted.Length == 0)
            return new(0, null, null, null, null, null);
        double P(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new(
            sorted.Length,
            Math.Round(P(0.50), 1),
            Math.Round(P(0.95), 1),
            Math.Round(P(0.99), 1),
            Math.Round(sorted[^1], 1),
            Math.Round(sorted.Average(), 1)
        );
    }
}

public sealed record LatencySummary(int Count, double? P50, double? P95, double? P99, double? Max, double? Mean)
{
    public override string ToString() => Count == 0 ? "no samples" : $"p50 {P50} ms, p95 {P95} ms, p99 {P99} ms, max {Max} ms (n={Count})";
}
