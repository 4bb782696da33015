using System.Text.Json;
using Cnh.Contracts;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;
using Xunit.Abstractions;

namespace Cnh.EndToEnd.Tests;

/// <summary>
/// Scoring's final state depends on the events, not on their order or on how often they came: the same 500
/// submissions (five indicators, five periods, twenty revisions each) in order and exactly once, then shuffled with
/// 100 duplicates on one instance, then on two instances at once, on the real servers.
/// </summary>
public class OrderIndependenceTests(ITestOutputHelper output)
{
    static readonly string[] Codes = ["KT01", "KT02", "KT07", "DT01", "XH08"];

    [Fact]
    public async Task When_500_events_arrive_shuffled_with_duplicates_one_or_two_scoring_instances_end_in_the_in_order_state()
    {
        var definitions = SeedDefinitions();
        var submissions = Submissions(new Random(2030));
        submissions.Should().HaveCount(500);

        var inOrder = await RunAsync(instances: 1, oneAtATime: true, [.. definitions, .. submissions]);

        var random = new Random(7);
        object[] shuffled = [.. definitions, .. submissions, .. submissions.OrderBy(_ => random.Next()).Take(100)];
        random.Shuffle(shuffled);
        var oneInstance = await RunAsync(instances: 1, oneAtATime: false, shuffled);
        var twoInstances = await RunAsync(instances: 2, oneAtATime: false, shuffled);

        foreach (var row in inOrder)
            output.WriteLine(row);
        inOrder.Should().HaveCount(Codes.Length);
        inOrder.Select(r => r.Split(" | ")[1]).Distinct().Should().HaveCountGreaterThan(1, "the data should exercise several statuses");
        oneInstance.Should().Equal(inOrder);
        twoInstances.Should().Equal(inOrder);
    }

    async Task<List<string>> RunAsync(int instances, bool oneAtATime, IReadOnlyList<object> events)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var sandbox = await Sandbox.CreateAsync();
        var processes = Enumerable
            .Range(1, instances)
            .Select(i =>
            {
                var port = TestEnvironment.FreePort();
                var env = sandbox.ServiceEnvironment("scoring");
                env["Urls"] = $"http://127.0.0.1:{port}";
                env["ASPNETCORE_ENVIRONMENT"] = "Development";
                if (oneAtATime)
                {
                    env["RabbitMq__ConcurrentMessageLimit"] = "1";
                    env["Scoring__IntakeConcurrency"] = "1";
                }
                return new ServiceProcess(
                    $"scoring-{i}",
                    TestEnvironment.ServiceDll("services/Scoring", "Cnh.Scoring"),
                    port,
                    env,
                    sandbox.WorkDirectory
                );
            })
            .ToList();
        try
        {
            foreach (var p in processes)
                p.Start();
            await Task.WhenAll(processes.Select(p => p.WaitReadyAsync(TimeSpan.FromSeconds(60))));
            output.WriteLine($"{instances} instance(s), one at a time: {oneAtATime}: ready after {clock.ElapsedMilliseconds} ms");

            var bus = await sandbox.StartBusAsync();
            try
            {
                foreach (var e in events)
                {
                    await bus.Publish(e);
                    // In order means each definition is in place before the values that need it.
                    if (oneAtATime && e is IndicatorDefined d)
                        await Eventually.Async(
                            () =>
                                sandbox.ScalarAsync("scoring", "SELECT count(*) FROM indicator_definitions WHERE code = @c", ("c", d.Code)),
                            n => n == 1,
                            what: $"definition {d.Code}"
                        );
                }
            }
            finally
            {
                await bus.StopAsync();
            }
            output.WriteLine($"  published after {clock.ElapsedMilliseconds} ms");

            var distinct = events.OfType<SubmissionAccepted>().Select(s => s.EventId).Distinct().Count();
            // Stored, and rescored: the recalculation runs after the values are stored, not in the same transaction.
            await Eventually.Async(
                async () =>
                    (
                        await sandbox.ScalarAsync(
                            "scoring",
                            "SELECT count(*) FROM processed_messages WHERE consumer = 'SubmissionAcceptedConsumer'"
                        ),
                        await sandbox.ScalarAsync("scoring", "SELECT count(*) FROM indicator_definitions"),
                        await sandbox.ScalarAsync("scoring", "SELECT count(*) FROM pending_scorings")
                    ),
                n => n.Item1 == distinct && n.Item2 == Codes.Length && n.Item3 == 0,
                TimeSpan.FromSeconds(120),
                $"{distinct} submissions and {Codes.Length} definitions processed, nothing left to rescore"
            );

            output.WriteLine($"  {events.Count} events processed after {clock.ElapsedMilliseconds} ms");
            (await sandbox.ScalarAsync("scoring", "SELECT count(*) FROM observations")).Should().Be(distinct);
            return await sandbox.RowsAsync(
                "scoring",
                "SELECT indicator_code, status, score, result::text FROM indicator_scores ORDER BY indicator_code"
            );
        }
        finally
        {
            foreach (var p in processes)
                p.Kill();
        }
    }

    /// <summary>Twenty revisions of five yearly values per indicator; in order: revisions ascend, time ascends.</summary>
    static List<SubmissionAccepted> Submissions(Random random)
    {
        var ranges = new Dictionary<string, (double Low, double High)>
        {
            ["KT01"] = (4800, 9000),
            ["KT02"] = (6, 9),
            ["KT07"] = (9, 16),
            ["DT01"] = (50, 63),
            ["XH08"] = (0, 3),
        };
        var list = new List<SubmissionAccepted>();
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var revision = 1; revision <= 20; revision++)
        {
            for (var year = 2021; year <= 2025; year++)
            {
                foreach (var code in Codes)
                {
                    var (low, high) = ranges[code];
                    var value = Math.Round(low + random.NextDouble() * (high - low), 2);
                    at = at.AddMinutes(1);
                    list.Add(
                        new SubmissionAccepted(
                            Guid.NewGuid(),
                            at,
                            Guid.NewGuid(),
                            revision,
                            "TC",
                            code,
                            year.ToString(),
                            value,
                            "order-test",
                            at
                        )
                    );
                }
            }
        }
        return list;
    }

    static List<IndicatorDefined> SeedDefinitions()
    {
        using var seed = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(TestEnvironment.Root, "services/Catalogue/Seed/hanoi-cnh-hdh-2030.json"))
        );
        return seed
            .RootElement.GetProperty("indicators")
            .EnumerateArray()
            .Where(i => Codes.Contains(i.GetProperty("code").GetString()))
            .Select(i => new IndicatorDefined(
                Guid.NewGuid(),
                DateTimeOffset.UtcNow,
                "hanoi-cnh-hdh-2030",
                i.GetProperty("code").GetString()!,
                i.GetProperty("group").GetString()!,
                i.GetProperty("nameVi").GetString()!,
                i.GetProperty("nameEn").GetString()!,
                i.GetProperty("unit").GetString()!,
                i.GetProperty("direction").GetString()!,
                i.GetProperty("baseline").ValueKind == JsonValueKind.Object
                    ? new BaselineDto(
                        i.GetProperty("baseline").GetProperty("year").GetInt32(),
                        i.GetProperty("baseline").GetProperty("value").GetDouble()
                    )
                    : null,
                i.GetProperty("targets")
                    .EnumerateArray()
                    .Select(t => new TargetDto(
                        t.GetProperty("year").GetInt32(),
                        t.GetProperty("min").ValueKind == JsonValueKind.Number ? t.GetProperty("min").GetDouble() : null,
                        t.GetProperty("max").ValueKind == JsonValueKind.Number ? t.GetProperty("max").GetDouble() : null,
                        t.GetProperty("op").GetString()!
                    ))
                    .ToList(),
                i.GetProperty("responsibleDepartment").GetString()!,
                [],
                i.GetProperty("reportingFrequency").GetString()!,
                1,
                i.GetProperty("confidence").GetString()!,
                1,
                false
            ))
            .ToList();
    }
}
