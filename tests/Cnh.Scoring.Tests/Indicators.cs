using Cnh.Contracts;
using Cnh.Scoring.Method;

namespace Cnh.Scoring.Tests;

/// <summary>Definitions shaped like the seed catalogue's, and a terse way to write observations.</summary>
static class Indicators
{
    // KT01: income per capita, base 5,420 USD in 2020; 8,300–8,500 in 2025, over 12,500 in 2030.
    public static readonly IndicatorDefinition Income = new(
        "KT01",
        Direction.Increase,
        new Baseline(2020, 5420),
        [new Target(2025, 8300, 8500, "range"), new Target(2030, 12500, null, ">")]
    );

    // KT07-like: a share that must fall below 12% by 2025 and 10% by 2030; no baseline.
    public static readonly IndicatorDefinition Falling = new(
        "KT07",
        Direction.Decrease,
        null,
        [new Target(2025, null, 12, "<"), new Target(2030, null, 10, "<")]
    );

    // KT03-like: about 17% in 2025, about 20% in 2030; no baseline.
    public static readonly IndicatorDefinition About = new(
        "KT03",
        Direction.Increase,
        null,
        [new Target(2025, 17, null, "about"), new Target(2030, 20, null, "about")]
    );

    public static Observation Obs(string period, double value, int? revision = null) =>
        new(ReportingPeriod.Parse(period), value, revision ?? 1, Guid.NewGuid());

    public static Observation Rev(string period, double value, int revision) =>
        new(ReportingPeriod.Parse(period), value, revision, Guid.NewGuid());
}
