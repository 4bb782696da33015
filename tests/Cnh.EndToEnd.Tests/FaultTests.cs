using Cnh.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Cnh.EndToEnd.Tests;

/// <summary>
/// The promise: every submission answered 202 ends up scored, exactly once in effect, whatever fails in between. A
/// thousand submissions stream in through the gateway while RabbitMQ restarts, scoring is killed, PostgreSQL restarts;
/// the sets of accepted and scored ids are compared.
/// </summary>
[Collection(PlatformCollection.Name)]
public class FaultTests(Platform platform, ITestOutputHelper output)
{
    [Fact]
    public async Task When_rabbitmq_restarts_while_submissions_stream_in_every_accepted_one_is_scored_once()
    {
        await SubmissionStream.WithFaultAsync(platform, output, "RabbitMQ restart", async () =>
        {
            await Commands.RunAsRootAsync("rabbitmqctl", "-q", "stop_app");
            await Task.Delay(TimeSpan.FromSeconds(3));
            await Commands.RunAsRootAsync("rabbitmqctl", "-q", "start_app");
        });
        // And every service consumes its queues again, as the restricted user it runs as (a refused operation after the
        // restart would close a consumer for good while the others carry on).
        await SubmissionStream.EveryQueueConsumedAsync(platform);
    }

    [Fact]
    public async Task When_scoring_is_killed_while_submissions_stream_in_every_accepted_one_is_scored_once() =>
        await SubmissionStream.WithFaultAsync(platform, output, "kill -9 scoring", async () =>
        {
            var scoring = platform.Services["scoring"];
            scoring.Kill();
            await Task.Delay(TimeSpan.FromSeconds(2));
            scoring.Start();
        });

    [Fact]
    public async Task When_postgresql_restarts_while_submissions_stream_in_every_accepted_one_is_scored_once() =>
        await SubmissionStream.WithFaultAsync(platform, output, "PostgreSQL restart", async () =>
        {
            var version = Directory.GetDirectories("/usr/lib/postgresql").Select(Path.GetFileName).OrderBy(v => int.Parse(v!)).Last();
            await Commands.RunAsRootAsync("pg_ctlcluster", version!, "main", "restart");
        });
}
