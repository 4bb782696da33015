using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Submissions.Submit;

/// <summary>
/// The one <c>Idempotency-Key</c> mechanism of submissions, single and batch alike. A key names one request of one
/// client: its first answer (body and <c>Location</c>) is kept with a hash of the request, in the transaction that
/// stored the submissions; a retry with the same key and the same request gets that answer again (202), the same key
/// with another request a 409 naming the header. Two retries racing each other meet on the key's primary key.
/// </summary>
public sealed class IdempotentRequest
{
    public const string Header = "Idempotency-Key";

    readonly string _client;
    readonly string? _key;
    readonly string _hash;

    IdempotentRequest(string client, string? key, string hash) => (_client, _key, _hash) = (client, key, hash);

    /// <summary>
    /// Hashing sees a request before validation, so it must accept what validation will reject (1e309 is Infinity);
    /// the same values count as the same request, however the JSON was formatted.
    /// </summary>
    static readonly JsonSerializerOptions HashJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The request's key, if it sent one, with the hash of what it asks; a malformed key is a 400 naming the header.</summary>
    public static IResult? TryRead<TBody>(HttpRequest http, string client, TBody body, out IdempotentRequest request)
    {
        var value = http.Headers[Header].ToString();
        var hash = value.Length > 0 ? Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(body, HashJson))) : "";
        request = new IdempotentRequest(client, value.Length > 0 ? value : null, hash);
        return http.Headers.ContainsKey(Header) && (value.Length is 0 or > 200 || !TextRules.IsSafe(value))
            ? JsonBody.Invalid(Header, "1 to 200 printable characters.", StatusCodes.Status400BadRequest)
            : null;
    }

    /// <summary>The earlier answer when this key was used before (or a 409 when for another request); null for a new request.</summary>
    public async Task<IResult?> ReplayAsync(SubmissionsDb db, CancellationToken ct)
    {
        if (_key is null)
            return null;
        var earlier = await db.IdempotencyKeys.AsNoTracking().FirstOrDefaultAsync(r => r.ClientId == _client && r.Key == _key, ct);
        if (earlier is null)
            return null;
        if (earlier.RequestHash != _hash || earlier.Response is null)
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Idempotency-Key reused",
                detail: "This key was already used with a different request; use a new key for a new request.",
                extensions: new Dictionary<string, object?> { ["field"] = Header }
            );
        return new StoredAnswer(earlier.Location, earlier.Response);
    }

    /// <summary>Keeps the answer with the key, in the caller's unit of work (nothing when no key was sent).</summary>
    public void Remember(SubmissionsDb db, string location, object answer, DateTimeOffset now)
    {
        if (Record(location, answer, now) is { } record)
            db.IdempotencyKeys.Add(record);
    }

    /// <summary>The row that keeps the answer, for a writer that inserts it itself; null when no key was sent.</summary>
    public IdempotencyRecord? Record(string location, object answer, DateTimeOffset now) =>
        _key is null
            ? null
            : new IdempotencyRecord
            {
                ClientId = _client,
                Key = _key,
                RequestHash = _hash,
                CreatedAt = now,
                Location = location,
                Response = JsonSerializer.Serialize(answer, JsonSerializerOptions.Web),
            };

    const string KeyConstraint = "pk_idempotency_keys";

    /// <summary>The same key stored by a request that ran at the same time: answer as it did.</summary>
    public bool LostRaceTo(DbUpdateException e) => _key is not null && e.IsUniqueViolation(KeyConstraint);

    /// <inheritdoc cref="LostRaceTo(DbUpdateException)"/>
    public bool LostRaceTo(Npgsql.PostgresException e) => _key is not null && e.IsUniqueViolation(KeyConstraint);

    /// <summary>202 with the first answer's body (the same JSON, as PostgreSQL keeps it) and Location.</summary>
    sealed class StoredAnswer(string? location, string body) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            if (location is not null)
                http.Response.Headers.Location = location;
            return Results.Text(body, "application/json", Encoding.UTF8, StatusCodes.Status202Accepted).ExecuteAsync(http);
        }
    }
}

public static class IdempotencyKeyRetention
{
    /// <summary>
    /// A key is honoured for <c>Retention:IdempotencyKeysDays</c> (30) after its first request — far longer than any
    /// client retries — and then deleted with its stored answer. Keys are stamped by the service's clock.
    /// </summary>
    public static void AddIdempotencyKeyRetention(this IHostApplicationBuilder builder) =>
        builder.Services.AddRetentionRule(
            new(
                "idempotency_keys",
                "created_at",
                TimeSpan.FromDays(builder.Configuration.GetValue("Retention:IdempotencyKeysDays", 30.0)),
                ServiceClock: true
            )
        );
}
