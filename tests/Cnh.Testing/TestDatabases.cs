using Npgsql;

namespace Cnh.Testing;

/// <summary>The PostgreSQL databases tests make for themselves, on the local server as the development role.</summary>
public static class TestDatabases
{
    public static string ConnectionString(string database, bool pooling = true) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = 5432,
            Database = database,
            Username = "cnh",
            Password = TestSecrets.PostgresPassword,
            SslMode = SslMode.Disable,
            Pooling = pooling,
        }.ConnectionString;

    public static async Task CreateAsync(string database)
    {
        await using var admin = await OpenAdminAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Drops the database after ending the connections of this role to it. Not WITH (FORCE): that also tries to end an
    /// autovacuum worker, which only a superuser may; a plain DROP tells autovacuum to stop, and is retried meanwhile.
    /// </summary>
    public static async Task DropAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = await OpenAdminAsync();
        for (var attempt = 1; ; attempt++)
        {
            await using var end = new NpgsqlCommand(
                """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = @d AND usename = current_user AND pid <> pg_backend_pid()
                """,
                admin
            );
            end.Parameters.AddWithValue("d", database);
            await end.ExecuteNonQueryAsync();
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database}", admin);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                await Task.Delay(500);
            }
        }
    }

    static async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var admin = new NpgsqlConnection(ConnectionString("postgres", pooling: false));
        await admin.OpenAsync();
        return admin;
    }
}
