using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Cnh.ServiceDefaults;

public static class AuditModel
{
    static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);

    public static void AddAuditTable(this ModelBuilder modelBuilder) =>
        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_entries");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).UseIdentityAlwaysColumn();
            e.Property(a => a.Details).HasColumnType("jsonb");
            e.HasIndex(a => new { a.Entity, a.EntityKey });
            e.HasIndex(a => a.At);
        });

    /// <summary>Run from a migration: the database itself refuses to change or remove audit rows.</summary>
    public const string ImmutableTriggerSql = """
        CREATE OR REPLACE FUNCTION audit_entries_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit entries are immutable' USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE TRIGGER audit_entries_immutable BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entries
            FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_immutable();
        """;

    public static void CreateImmutableAuditTrigger(this MigrationBuilder migration) => migration.Sql(ImmutableTriggerSql);

    /// <summary>Adds an entry to the current unit of work, for the caller of this request.</summary>
    public static AuditEntry Audit(
        this IAuditedDbContext db,
        ClaimsPrincipal user,
        string action,
        string entity,
        string key,
        object? details = null
    )
    {
        var entry = NewEntry(user, action, entity, key, details);
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>An entry for the caller of this request, for a writer that inserts it itself.</summary>
    public static AuditEntry NewEntry(ClaimsPrincipal user, string action, string entity, string key, object? details = null) =>
        new()
        {
            At = DateTimeOffset.UtcNow,
            Action = action,
            Entity = entity,
            EntityKey = key,
            ClientId = user.ClientId(),
            Role = user.FindFirst(Cnh.Contracts.CnhClaims.Role)?.Value ?? "unknown",
            Department = user.Department(),
            TraceId = System.Diagnostics.Activity.Current?.TraceId.ToString(),
            Details = details is null ? null : JsonSerializer.Serialize(details, DetailsJson),
        };

    public sealed record AuditView(
        long Id,
        DateTimeOffset At,
        string Action,
        string Entity,
        string EntityKey,
        string ClientId,
        string Role,
        string? Department,
        string? TraceId,
        JsonElement? Details
    );

    /// <summary><c>GET {path}?entity=&amp;key=&amp;client=&amp;since=&amp;limit=</c>, newest first, for admins.</summary>
    public static RouteHandlerBuilder MapAuditLog<TDb>(this IEndpointRouteBuilder app, string path)
        where TDb : DbContext, IAuditedDbContext =>
        app.MapGet(
                path,
                async (TDb db, string? entity, string? key, string? client, DateTimeOffset? since, int? limit, CancellationToken ct) =>
                {
                    if (limit is < 1 or > 1000)
                        return JsonBody.Invalid("limit", "From 1 to 1000.");
                    var query = db.AuditEntries.AsNoTracking();
                    if (!string.IsNullOrEmpty(entity))
                        query = query.Where(a => a.Entity == entity);
                    if (!string.IsNullOrEmpty(key))
                        query = query.Where(a => a.EntityKey == key);
                    if (!string.IsNullOrEmpty(client))
                        query = query.Where(a => a.ClientId == client);
                    // PostgreSQL takes instants in UTC; 2025-01-01T00:00:00+07:00 is the same instant.
                    if (since is { } from)
                    {
                        var utc = from.ToUniversalTime();
                        query = query.Where(a => a.At >= utc);
                    }
                    var rows = await query.OrderByDescending(a => a.Id).Take(limit ?? 100).ToListAsync(ct);
                    return Results.Ok(
                        rows.Select(a => new AuditView(
                            a.Id,
                            a.At,
                            a.Action,
                            a.Entity,
                            a.EntityKey,
                            a.ClientId,
                            a.Role,
                            a.Department,
                            a.TraceId,
                            a.Details is null ? null : JsonDocument.Parse(a.Details).RootElement.Clone()
                        ))
                    );
                }
            )
            .RequireAuthorization(AuthorizationPolicies.Admin)
            .WithTags("Audit");
}
