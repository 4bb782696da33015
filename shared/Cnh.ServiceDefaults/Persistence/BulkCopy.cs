using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace Cnh.ServiceDefaults;

public static class BulkCopy
{
    /// <summary>
    /// Writes <paramref name="rows"/> to <typeparamref name="T"/>'s table with one binary COPY, on the context's
    /// connection and in its current transaction: thousands of rows cost one statement instead of one INSERT each, and
    /// nothing is tracked (the change tracker's entries and snapshots were most of a 10,000-row batch's memory).
    /// Columns the database fills in (identity keys) are left out.
    /// </summary>
    public static async Task CopyAsync<T>(this DbContext db, IReadOnlyList<T> rows, CancellationToken ct)
        where T : class
    {
        if (rows.Count == 0)
            return;
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var columns = entityType
            .GetProperties()
            .Select(p => (Property: p, Getter: p.GetGetter()))
            .Where(c =>
                !(c.Property.ValueGenerated.HasFlag(ValueGenerated.OnAdd) && Equals(c.Getter.GetClrValue(rows[0]), c.Property.Sentinel))
            )
            .Select(c =>
                (
                    Name: c.Property.GetColumnName(),
                    // "character varying(2000)" → "character varying": the length is the table's to check.
                    Type: c.Property.GetColumnType().Split('(')[0],
                    c.Getter,
                    c.Property.GetTypeMapping().Converter
                )
            )
            .ToList();

        await db.Database.OpenConnectionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var copy = $"COPY {entityType.GetTableName()} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)";
        await using var writer = await connection.BeginBinaryImportAsync(copy, ct);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(ct);
            foreach (var column in columns)
            {
                var value = column.Getter.GetClrValue(row);
                if (value is not null && column.Converter is { } converter)
                    value = converter.ConvertToProvider(value);
                if (value is null)
                    await writer.WriteNullAsync(ct);
                else
                    await writer.WriteAsync(value, column.Type, ct);
            }
        }
        await writer.CompleteAsync(ct);
    }
}
