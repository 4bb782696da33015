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

    /// <summary>Waits for the lock, shared with other shared holders.</summary>
    public static Task LockSharedAsync(this DatabaseFacade database, string scope, string name, CancellationToken ct) =>
        database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared(hashtext({scope}), hashtext({name}))", ct);

    /// <summary>Shared locks on several names of a scope, taken in one order so that two holders never wait for each other.</summary>
    public static Task LockSharedAsync(this DatabaseFacade database, string scope, IEnumerable<string> names, CancellationToken ct)
    {
        var ordered = names.Distinct().Order(StringComparer.Ordinal).ToArray();
        return database.ExecuteSqlAsync(
            $"SELECT count(pg_advisory_xact_lock_shared(hashtext({scope}), hashtext(n))) FROM unnest({ordered}) AS n",
            ct
        );
    }
}
