using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;
using Npgsql;

namespace Cnh.EndToEnd.Tests;

/// <summary>
/// A message that keeps failing must not block the others nor be lost: after its retries it waits in the _error queue,
/// and once the cause is fixed an operator replays it with ./cnh errors (here: the same tool, cnh-ops).
/// The cause here is an operational one, seen from the outside: a constraint an operator added by mistake makes
/// scoring's database refuse one indicator's values (and nothing else) until it is dropped.
/// </summary>
[Collection(PlatformCollection.Name)]
public class PoisonMessageTests(Platform platform) : IAsyncLifetime
{
    const string DropConstraint = "ALTER TABLE observations DROP CONSTRAINT IF EXISTS operator_mistake";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => ScoringSqlAsync(DropConstraint);

    [Fact]
    public async Task When_a_message_keeps_failing_it_goes_to_the_error_queue_the_rest_flow_and_a_replay_after_the_fix_scores_it()
    {
        await using var stuck = await TestIndicator.CreateAsync(platform);
        await using var after = await TestIndicator.CreateAsync(platform);
        await ScoringSqlAsync(
            $"ALTER TABLE observations ADD CONSTRAINT operator_mistake CHECK (indicator_code <> '{stuck.Code}') NOT VALID"
        );

        // Values arriving together are stored together; the stuck one must not hold back those beside it.
        // (All the same value: sent at once, a varying series could look like an outlier to whichever arrives last.)
        await using var other = await TestIndicator.CreateAsync(platform);
        var submitted = await Task.WhenAll(
            Enumerable
                .Range(2001, 20)
                .Select(year => SubmitAsync(TestIndicator.Client, other.Code, $"{year}", 50))
                .Prepend(SubmitAsync(TestIndicator.Client, stuck.Code, "2023", 66))
                .Append(SubmitAsync(TestIndicator.Client, after.Code, "2023", 56))
        );
        var poisoned = submitted[0];

        foreach (var flowing in submitted[1..])
            await WaitScoredAsync(flowing, TestIndicator.Client);
        await Eventually.Async(
            () => ErrorQueueDepthAsync("scoring-submission-accepted_error"),
            n => n == 1,
            TimeSpan.FromSeconds(90),
            "the stuck message in scoring's error queue"
        );
        (await StatusAsync(poisoned, TestIndicator.Client)).Should().Be("Accepted");

        // The fix: the constraint goes (also in Dispose, should this test fail first). Then the operator replays the error queue.
        await ScoringSqlAsync(DropConstraint);
        var replay = await ReplayAsync("scoring-submission-accepted_error");
        replay.Should().Contain("replayed 1 message(s)");

        await WaitScoredAsync(poisoned, TestIndicator.Client);
        (await ErrorQueueDepthAsync("scoring-submission-accepted_error")).Should().Be(0);
        (await platform.ScalarAsync("scoring", "SELECT count(*) FROM observations WHERE submission_id = @id", ("id", poisoned)))
            .Should()
            .Be(1);
    }

    async Task ScoringSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString("scoring"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    async Task<Guid> SubmitAsync(string client, string indicator, string period, double value)
    {
        var response = await platform.SubmitAsync(client, indicator, period, value);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    async Task<string> StatusAsync(Guid id, string client) =>
        (await platform.GetJsonAsync($"/api/submissions/{id}", client)).GetProperty("status").GetString()!;

    Task WaitScoredAsync(Guid id, string client) =>
        Eventually.Async(() => StatusAsync(id, client), s => s == "Scored", TimeSpan.FromSeconds(60), $"submission {id} scored");

    /// <summary>Messages ready in a queue, asked of the broker itself (the management statistics lag).</summary>
    async Task<long> ErrorQueueDepthAsync(string queue)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory
        {
            HostName = "127.0.0.1",
            VirtualHost = platform.VirtualHost,
            UserName = "cnh",
            Password = TestEnvironment.RabbitPassword,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0; // not created yet: nothing has failed
        }
    }

    async Task<string> ReplayAsync(string queue)
    {
        var tool = Path.Combine(TestEnvironment.Root, "tools/Cnh.Ops/bin", TestEnvironment.Configuration, "net10.0/cnh-ops.dll");
        var info = new ProcessStartInfo("dotnet", [tool, "errors", "replay", queue])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["CNH_RABBIT_VHOST"] = platform.VirtualHost;
        info.Environment["CNH_RABBIT_PASSWORD"] = TestEnvironment.RabbitPassword;
        using var process = Process.Start(info)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, stderr);
        return stdout;
    }
}
