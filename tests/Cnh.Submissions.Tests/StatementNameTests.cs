using Cnh.ServiceDefaults;

namespace Cnh.Submissions.Tests;

public class StatementNameTests
{
    [Theory]
    [InlineData("INSERT INTO submissions (id, value) VALUES (@p0, @p1)", "INSERT submissions")]
    [InlineData("SELECT s.id, s.value\nFROM submissions AS s\nWHERE s.id = @id", "SELECT submissions")]
    [InlineData("SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"", "SELECT __EFMigrationsHistory")]
    [InlineData("UPDATE deliveries SET status = @s", "UPDATE deliveries")]
    [InlineData("COPY observations (id, value) FROM STDIN (FORMAT BINARY)", "COPY observations")]
    [InlineData("SELECT pg_advisory_xact_lock(1, hashtext(@c))", "SELECT")]
    [InlineData("SELECT count(*) FROM (SELECT DISTINCT ON (period) value FROM submissions) latest", "SELECT")]
    [InlineData("", "postgresql")]
    public void When_a_statement_is_traced_its_span_is_named_after_its_verb_and_table(string sql, string name) =>
        Persistence.StatementName(sql).Should().Be(name);

    [Fact]
    public void When_a_batch_is_traced_its_span_names_what_it_changes() =>
        Persistence
            .BatchName([
                "SAVEPOINT s1",
                "INSERT INTO submissions (id) VALUES (@p0)",
                "INSERT INTO outbox_messages (id) VALUES (@p1)",
                "INSERT INTO submissions (id) VALUES (@p2)",
                "RELEASE SAVEPOINT s1",
            ])
            .Should()
            .Be("INSERT submissions, INSERT outbox_messages");
}
