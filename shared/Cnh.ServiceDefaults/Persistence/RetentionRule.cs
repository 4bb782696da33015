using System.Text.RegularExpressions;

namespace Cnh.ServiceDefaults;

/// <summary>
/// Rows of <paramref name="Table"/> are deleted once <paramref name="Column"/> is older than <paramref name="Keep"/>;
/// rows where it is null stay. <paramref name="ServiceClock"/>: the column is stamped with the service's clock
/// (<c>Clock:Now</c>), not the system's.
/// </summary>
public sealed partial record RetentionRule(string Table, string Column, TimeSpan Keep, bool ServiceClock = false)
{
    /// <summary>
    /// Deletes up to {1} rows older than {0}. By ctid, so that a bounded chunk goes without an index on the column;
    /// the names are checked to be plain identifiers, since they are part of the statement.
    /// </summary>
    public string DeleteStatement =>
        Identifier().IsMatch(Table) && Identifier().IsMatch(Column)
            ? $"DELETE FROM {Table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM {Table} WHERE {Column} < {{0}} LIMIT {{1}}))"
            : throw new InvalidOperationException($"Not a plain table or column name: {Table}.{Column}");

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex Identifier();
}
