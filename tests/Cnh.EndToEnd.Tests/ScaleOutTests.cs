using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;
using Xunit.Abstractions;

namespace Cnh.EndToEnd.Tests;

/// <summary>
/// The platform as a city outgrowing one machine would run it: two instances of every service but the portal, two
/// gateways behind one balancer address, on the three-node RabbitMQ cluster of <c>./cnh infra --cluster</c>.
/// </summary>
public sealed class ScaledPlatform() : Platform(instances: 2, Broker.Cluster);

[CollectionDefinition(Name)]
public sealed class ScaledPlatformCollection : ICollectionFixture<ScaledPlatform>
{
    public const string Name = "scaled platform";
}

/// <summary>
/// On the scaled platform, faults of the cluster and of single instances lose nothing and double nothing: each streams a
/// thousand submissions through the balancer, as <see cref="FaultTests"/> does on one of everything.
/// </summary>
[Collection(ScaledPlatformCollection.Name)]
public class ScaleOutTests(ScaledPlatform platform, ITestOutputHelper output)
{
    const string ScoringQueue = "scoring-submission-accepted";

    [Fact]
    public async Task When_two_instances_run_on_the_cluster_each_queue_has_both_as_consumers_and_a_replica_on_every_node()
    {
        using var admin = platform.Sandbox.Broker.Admin();
        var queues = (await admin.GetFromJsonAsync<JsonElement>($"api/queues/{platform.VirtualHost}"))
            .EnumerateArray()
            .Where(q =>
                q.GetProperty("name").GetString() is { } n && !n.EndsWith("_error") && !n.EndsWith("_skipped") && !n.Contains("_bus_")
            )
            .ToList();

        queues.Should().NotBeEmpty();
        queues.Should().OnlyContain(q => q.GetProperty("type").GetString() == "quorum");
        queues
            .Where(q => q.GetProperty("consumers").GetInt32() < 2)
            .Select(q => q.GetProperty("name").GetString())
            .Should()
            .BeEmpty("each service's two instances consume its queues");
        queues.Should().OnlyContain(q => q.GetProperty("members").GetArrayLength() == 3, "a quorum queue has a replica on each node");
        queues
            .Select(q => q.GetProperty("leader").GetString())
            .Distinct()
            .Should()
            .HaveCountGreaterThan(1, "queue leaders are spread over the nodes (queue_leader_locator = balanced)");
    }

    [Fact]
    public async Task When_revisions_of_one_value_arrive_together_through_both_gateways_they_are_numbered_without_gaps_and_the_last_counts()
    {
        await using var xh04 = await TestIndicator.CopyOfAsync(platform, "XH04");

        // Twenty revisions of one period at once: the balancer spreads the connections over both gateways, which spread
        // the requests over both submissions instances; revision numbers come from the database, not from either one.
        var answers = await Task.WhenAll(
            Enumerable
                .Range(0, 20)
                .Select(async n =>
                {
                    var value = 70 + n / 10.0;
                    var response = await platform.SubmitAsync(TestIndicator.Client, xh04.Code, "2024", value, "ordering test");
                    response.StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted);
                    return (
                        Value: value,
                        Revision: (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt32()
                    );
                })
        );

        answers.Select(a => a.Revision).Should().BeEquivalentTo(Enumerable.Range(1, 20));
        var last = answers.Single(a => a.Revision == 20);
        var score = await Eventually.Async(
            () => platform.GetJsonAsync($"/api/scores/indicators/{xh04.Code}", "viewer"),
            // No result at all until the first revision is scored.
            s =>
                s.GetProperty("result") is { ValueKind: JsonValueKind.Object } result
                && result.GetProperty("basedOnRevision") is { ValueKind: JsonValueKind.Number } revision
                && revision.GetInt32() == 20,
            what: "the score based on revision 20"
        );
        score.GetProperty("result").GetProperty("currentValue").GetDouble().Should().Be(last.Value);
    }

    [Fact]
    public async Task When_an_instance_is_down_the_requests_it_refuses_go_to_the_other_none_is_answered_502_and_health_says_degraded()
    {
        await using var xh04 = await TestIndicator.CopyOfAsync(platform, "XH04");
        var down = platform.Instances("submissions")[1];
        down.Kill();
        try
        {
            // Right after the kill neither health check has noticed yet: each gateway still sends some requests there.
            var codes = new List<System.Net.HttpStatusCode>();
            for (var n = 0; n < 20; n++)
                codes.Add((await platform.SubmitAsync(TestIndicator.Client, xh04.Code, "2024", 70 + n / 10.0, "retry test")).StatusCode);

            codes.Should().OnlyContain(c => c == System.Net.HttpStatusCode.Accepted);
            // Ops see it: degraded (still 200: every service has an instance), and which one is missing.
            using var health = await platform.Http.GetAsync(platform.Url("/health"));
            health.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
            var report = await health.Content.ReadFromJsonAsync<JsonElement>();
            report.GetProperty("status").GetString().Should().Be("Degraded");
            report.GetProperty("services").GetProperty("submissions").GetString().Should().StartWith("1 of 2 ready");
            report.GetProperty("services").GetProperty("scoring").GetString().Should().StartWith("2 of 2 ready");
        }
        finally
        {
            down.Start();
            await down.WaitReadyAsync(TimeSpan.FromSeconds(90));
        }
    }

    [Fact]
    public async Task When_a_cluster_node_stops_while_submissions_stream_in_every_accepted_one_is_scored_once()
    {
        await SubmissionStream.WithFaultAsync(platform, output, "cluster: node stops", async () =>
        {
            await Commands.RunAsRootAsync("rabbitmqctl", "-q", "-n", Broker.ClusterNode(2), "stop_app");
            await Task.Delay(TimeSpan.FromSeconds(5));
            await Commands.RunAsRootAsync("rabbitmqctl", "-q", "-n", Broker.ClusterNode(2), "start_app");
        });
        await SubmissionStream.EveryQueueConsumedAsync(platform);
    }

    [Fact]
    public async Task When_the_node_leading_the_scoring_queue_is_killed_while_submissions_stream_in_every_accepted_one_is_scored_once()
    {
        var leader = await LeaderAsync(ScoringQueue);
        var node = int.Parse(leader["cnh-".Length..leader.IndexOf('@')]);
        await SubmissionStream.WithFaultAsync(platform, output, "cluster: leader kill -9", async () =>
        {
            var pid = File.ReadAllText($"/var/lib/rabbitmq/cnh-cluster/cnh-{node}/rabbitmq.pid").Trim();
            await Commands.RunAsRootAsync("kill", "-9", pid);
            await Task.Delay(TimeSpan.FromSeconds(3));
            var infra = Path.Combine(TestEnvironment.Root, "infra");
            await Commands.RunAsRootAsync(
                "bash",
                "-c",
                $". '{infra}/native.sh'; . '{infra}/rabbitmq-cluster.sh'; start_cluster_node {node}"
            );
        });
        await SubmissionStream.EveryQueueConsumedAsync(platform);
        (await LeaderAsync(ScoringQueue)).Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task When_one_instance_of_each_service_is_killed_in_turn_while_submissions_stream_in_every_accepted_one_is_scored_once()
    {
        string[] services = ["gateway", "submissions", "scoring", "notifications", "catalogue"];
        await SubmissionStream.WithFaultAsync(platform, output, "kill -9 each service", async () =>
        {
            for (var n = 0; n < services.Length; n++)
            {
                // The first instance of some, the second of others: neither is special.
                var instance = platform.Instances(services[n])[n % 2];
                instance.Kill();
                await Task.Delay(TimeSpan.FromSeconds(1));
                instance.Start();
            }
        });
    }

    [Fact]
    public async Task When_a_service_runs_with_Database_Migrate_Only_it_migrates_its_database_and_exits_without_serving()
    {
        var scoring = platform.Services["scoring"];
        var database = $"{platform.Sandbox.RunId}_migrate_only";
        var connection = Cnh.Testing.TestDatabases.ConnectionString($"cnh_e2e_{database}");
        try
        {
            var info = new ProcessStartInfo("dotnet", [scoring.Dll]) { RedirectStandardOutput = true, RedirectStandardError = true };
            info.Environment["ConnectionStrings__Database"] = connection;
            info.Environment["Database__Migrate"] = "Only";
            info.Environment["Urls"] = $"http://127.0.0.1:{TestEnvironment.FreePort()}";
            using var process = Process.Start(info)!;
            var log = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);

            process.ExitCode.Should().Be(0, await log);
            (await log).Should().Contain("Database migrated").And.NotContain("Now listening");
            await using var db = new Npgsql.NpgsqlConnection(connection + ";Pooling=false");
            await db.OpenAsync();
            await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM \"__EFMigrationsHistory\"", db);
            ((long)(await count.ExecuteScalarAsync())!).Should().BeGreaterThan(0);
        }
        finally
        {
            await Cnh.Testing.TestDatabases.DropAsync($"cnh_e2e_{database}");
        }
    }

    async Task<string> LeaderAsync(string queue)
    {
        using var admin = platform.Sandbox.Broker.Admin();
        var state = await admin.GetFromJsonAsync<JsonElement>($"api/queues/{platform.VirtualHost}/{queue}");
        return state.GetProperty("leader").GetString()!;
    }
}

// The behaviour that two instances could break — ordering, idempotency, overdue scans, deliveries and digests — runs
// again, unchanged, on the scaled platform.
[Collection(ScaledPlatformCollection.Name)]
public sealed class SubmissionFlowOnTwoInstancesTests(ScaledPlatform platform) : SubmissionFlowTests(platform);

[Collection(ScaledPlatformCollection.Name)]
public sealed class IdempotencyKeyOnTwoInstancesTests(ScaledPlatform platform) : IdempotencyKeyTests(platform);

[Collection(ScaledPlatformCollection.Name)]
public sealed class DeadlineOnTwoInstancesTests(ScaledPlatform platform) : DeadlineTests(platform);

[Collection(ScaledPlatformCollection.Name)]
public sealed class AlertDeliveryOnTwoInstancesTests(ScaledPlatform platform) : AlertDeliveryTests(platform);
