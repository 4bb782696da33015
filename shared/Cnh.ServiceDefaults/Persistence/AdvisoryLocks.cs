using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Cnh.ServiceDefaults;

/// <summary>
/// PostgreSQL's transaction-scoped advisory locks, under one key scheme: a lock is a scope (what kind of thing) and a
/// name (which one), keyed <c>(hashtext(scope), hashtext(name))</c> — two 32-bit keys, so that locks of different scopes
/// never collide. Released at commit or rollback; call inside a transaction.
/// </summary>
public static class AdvisoryLocks
{
    /// <summary>Waits for the lock, alone.</summary>
    public static Task LockAsync(this DatabaseFacade database, string scope, string name, CancellationToken ct) =>
        database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({scope}), hashtext({name}))", ct);

    /// <summary>
    /// Waits for the lock at most <paramref name="seconds"/>, then fails the statement (and so the transaction): a
    /// session stuck holding it holds up this one only that long. The timeout stays for the rest of the transaction.
    /// One round trip: the timeout is set by a materialized CTE, which runs before the lock is asked for.
    /// </summary>
    public static Task LockAsync(this DatabaseFacade database, string scope, string name, int seconds, CancellationToken ct) =>
        database.ExecuteSqlAsync(
            $"""
            WITH timeout AS MATERIALIZED (SELECT set_config('lock_timeout', {$"{Math.Max(1, seconds)}s"}, true))
            SELECT pg_advisory_xact_lock(hashtext({scope}), hashtext({name})) FROM timeout
            """,
            ct
        );
}
