using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Cnh.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The fault tests' measure: a thousand submissions stream in through the gateway from three departments while a fault
/// is injected a quarter of the way in; then the sets of accepted, scored and counted ids are compared, and one line per
/// fault goes to the run's fault table (.cnh/fault-report.txt, printed by ./cnh test).
/// </summary>
public static class SubmissionStream
{
    const int Submissions = 1000;

    public static async Task WithFaultAsync(Platform platform, ITestOutputHelper output, string fault, Func<Task> inject)
    {
        // Six indicators of the test's own, two for each of three departments of its own: a thousand revisions of them
        // disturb no other test, and the load comes from several clients as it would in production.
        var departments = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => TestDepartment.CreateAsync(platform)));
        var owned = await Task.WhenAll(
            departments.SelectMany(d => new[] { d, d }).Select(d => TestIndicator.CopyOfAsync(platform, "XH01", d.Code))
        );
        await using var retire = new AsyncDisposables(owned);
        var indicators = owned.Select((indicator, n) => (indicator.Code, departments[n / 2].Client)).ToList();
        var random = new Random(fault.GetHashCode());
        var accepted = new ConcurrentBag<Guid>();
        var answers = new ConcurrentDictionary<int, int>();
        var sent = 0;
        Task? faultTask = null;
        using var slots = new SemaphoreSlim(8);
        var requests = Enumerable
            .Range(0, Submissions)
            .Select(async n =>
            {
                await slots.WaitAsync();
                try
                {
                    if (Interlocked.Increment(ref sent) == Submissions / 4)
                        faultTask = Task.Run(inject);
                    var (code, client) = indicators[n % indicators.Count];
                    // Random values are unusual for an indicator's history by design: the note lets them through flagged.
                    var body = new
                    {
                        indicatorCode = code,
                        period = (2021 + n % 5).ToString(),
                        value = Math.Round(1 + random.NextDouble() * 98, 2),
                        note = "fault test load",
                    };
                    try
                    {
                        var response = await platform.SendAsync(HttpMethod.Post, "/api/submissions", client, body);
                        answers.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
                        if (response.StatusCode == HttpStatusCode.Accepted)
                            accepted.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
                    }
                    catch (HttpRequestException)
                    {
                        answers.AddOrUpdate(0, 1, (_, c) => c + 1);
                    }
                }
                finally
                {
                    slots.Release();
                }
            });
        await Task.WhenAll(requests);
        await faultTask!;
        await platform.WaitAllReadyAsync();

        var ids = accepted.ToArray();
        var scored = await Eventually.Async(
            () => ScoredAsync(platform, ids),
            s => s.Count == ids.Length,
            TimeSpan.FromSeconds(240),
            $"all {ids.Length} accepted submissions scored after {fault}",
            s => $"{s.Count} of {ids.Length} scored"
        );
        var counted = await CountedInScoringAsync(platform, ids);

        var report =
            $"{fault.PadRight(20)} sent {Submissions} / accepted {ids.Length} / scored {scored.Count} / lost {ids.Except(scored).Count()}"
            + $" / counted twice {counted.Count(c => c.Value > 1)}   answers: "
            + $"{string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key}×{a.Value}"))}";
        output.WriteLine(report);
        var home = Environment.GetEnvironmentVariable("CNH_HOME") ?? Path.Combine(TestEnvironment.Root, ".cnh");
        File.AppendAllText(Path.Combine(home, "fault-report.txt"), report + Environment.NewLine);

        ids.Length.Should().BeGreaterThan(Submissions / 2, "most submissions are accepted even while a server restarts");
        scored.Should().BeEquivalentTo(ids, "every accepted submission is scored");
        counted.Keys.Should().BeEquivalentTo(ids);
        counted.Values.Should().OnlyContain(c => c == 1, "each is counted exactly once");
    }

    static async Task<HashSet<Guid>> ScoredAsync(Platform platform, Guid[] ids)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString("submissions"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM submissions WHERE status = 'Scored' AND id = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", ids);
        var scored = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            scored.Add(reader.GetGuid(0));
        return scored;
    }

    /// <summary>How many observations and processed-message rows scoring holds per submission.</summary>
    static async Task<Dictionary<Guid, long>> CountedInScoringAsync(Platform platform, Guid[] ids)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString("scoring"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT submission_id, count(*) FROM observations WHERE submission_id = ANY(@ids) GROUP BY 1",
            connection
        );
        command.Parameters.AddWithValue("ids", ids);
        var counted = new Dictionary<Guid, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            counted[reader.GetGuid(0)] = reader.GetInt64(1);
        return counted;
    }

    /// <summary>Every queue of the platform's has a consumer again (after a broker restart or a node's loss).</summary>
    public static async Task EveryQueueConsumedAsync(Platform platform)
    {
        using var admin = platform.Sandbox.Broker.Admin();
        await Eventually.Async(
            async () =>
                (await admin.GetFromJsonAsync<JsonElement>($"api/queues/{platform.VirtualHost}"))
                    .EnumerateArray()
                    .Where(q =>
                        q.GetProperty("name").GetString() is { } n
                        && !n.EndsWith("_error")
                        && !n.EndsWith("_skipped")
                        && !n.Contains("_bus_")
                    )
                    .Where(q => !q.TryGetProperty("consumers", out var consumers) || consumers.GetInt32() == 0)
                    .Select(q => q.GetProperty("name").GetString()!)
                    .ToList(),
            idle => idle.Count == 0,
            TimeSpan.FromSeconds(30),
            "every queue consumed again",
            idle => string.Join(", ", idle)
        );
    }
}
