using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;
using Cnh.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Cnh.Submissions.Tests.InProcess;

/// <summary>
/// The retention pass against the real database, with the rules the service registers and fake clocks: rows dated
/// in 2099, which the service's own pass (on the real clock, at start) cannot reach while this code is in use.
/// </summary>
public class RetentionTests(ServiceFactory<Program> submissions) : IClassFixture<ServiceFactory<Program>>
{
    static readonly DateTimeOffset SystemNow = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Idempotency keys are stamped by the service's clock, a rehearsal's <c>Clock:Now</c>, not the system's.</summary>
    static readonly DateTimeOffset ServiceNow = new(2099, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task When_rows_outlive_their_retention_a_pass_deletes_them_in_chunks_and_keeps_the_rest()
    {
        var sentLongAgo = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        var (sentRecently, neverSent) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var id in sentLongAgo)
            await AddOutboxRowAsync(id, sentAt: SystemNow.AddDays(-8));
        await AddOutboxRowAsync(sentRecently, sentAt: SystemNow.AddDays(-6));
        await AddOutboxRowAsync(neverSent, sentAt: null, createdAt: SystemNow.AddDays(-100));
        var (processedLongAgo, processedRecently) = (Guid.NewGuid(), Guid.NewGuid());
        await ExecuteAsync(db =>
            db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO processed_messages (consumer, message_id, processed_at)
                VALUES ('retention-test', {processedLongAgo}, {SystemNow.AddDays(-31)}),
                       ('retention-test', {processedRecently}, {SystemNow.AddDays(-29)})
                """
            )
        );
        var (keyLongAgo, keyRecently) = ($"old-{Guid.NewGuid()}", $"new-{Guid.NewGuid()}");
        await ExecuteAsync(db =>
            db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO idempotency_keys (client_id, key, request_hash, created_at)
                VALUES ('retention-test', {keyLongAgo}, 'h', {ServiceNow.AddDays(-31)}),
                       ('retention-test', {keyRecently}, 'h', {ServiceNow.AddDays(-29)})
                """
            )
        );
        var worker = new RetentionWorker<SubmissionsDb>(
            submissions.Services.GetRequiredService<IServiceScopeFactory>(),
            submissions.Services.GetServices<RetentionRule>(),
            new RetentionOptions { RowsPerStatement = 2 },
            new FakeTimeProvider(ServiceNow),
            new FakeTimeProvider(SystemNow),
            NullLogger<RetentionWorker<SubmissionsDb>>.Instance
        );

        var deleted = await worker.PruneAsync(CancellationToken.None);

        deleted.Keys.Should().BeEquivalentTo(["outbox_messages", "processed_messages", "idempotency_keys"]);
        deleted["outbox_messages"].Should().BeGreaterThanOrEqualTo(5, "five chunks' worth of two rows were due");
        (await OutboxIdsAsync(sentLongAgo.Append(sentRecently).Append(neverSent))).Should().BeEquivalentTo([sentRecently, neverSent]);
        (await ProcessedIdsAsync()).Should().Equal(processedRecently);
        (await KeysAsync()).Should().Equal(keyRecently);
    }

    [Theory]
    [InlineData("outbox_messages; DROP TABLE submissions", "sent_at")]
    [InlineData("outbox_messages", "sent_at) OR (true")]
    public void When_a_rule_names_something_other_than_a_plain_table_and_column_it_makes_no_statement(string table, string column) =>
        FluentActions
            .Invoking(() => new RetentionRule(table, column, TimeSpan.FromDays(1)).DeleteStatement)
            .Should()
            .Throw<InvalidOperationException>();

    Task AddOutboxRowAsync(Guid id, DateTimeOffset? sentAt, DateTimeOffset? createdAt = null) =>
        ExecuteAsync(db =>
            db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO outbox_messages (message_id, message_type, payload, created_at, sent_at, attempts)
                VALUES ({id}, 'retention-test', {"{}"}::jsonb, {createdAt ?? sentAt}, {sentAt}, 1)
                """
            )
        );

    async Task<List<Guid>> OutboxIdsAsync(IEnumerable<Guid> ids)
    {
        var wanted = ids.ToArray();
        return await QueryAsync(db => db.OutboxMessages.Where(m => wanted.Contains(m.MessageId)).Select(m => m.MessageId).ToListAsync());
    }

    Task<List<Guid>> ProcessedIdsAsync() =>
        QueryAsync(db => db.ProcessedMessages.Where(m => m.Consumer == "retention-test").Select(m => m.MessageId).ToListAsync());

    Task<List<string>> KeysAsync() =>
        QueryAsync(db => db.IdempotencyKeys.Where(k => k.ClientId == "retention-test").Select(k => k.Key).ToListAsync());

    Task ExecuteAsync(Func<SubmissionsDb, Task<int>> statement) => QueryAsync(statement);

    async Task<T> QueryAsync<T>(Func<SubmissionsDb, Task<T>> query)
    {
        await using var scope = submissions.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<SubmissionsDb>());
    }
}
