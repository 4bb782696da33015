using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Cnh.ServiceDefaults;

/// <summary>
/// EF's migrations history keeps its own column names: EFCore.NamingConventions would snake_case them too
/// (EFCore.NamingConventions issue #1), and every database created before the convention has "MigrationId" and
/// "ProductVersion". Explicit names outrank the convention.
/// </summary>
#pragma warning disable EF1001 // NpgsqlHistoryRepository is the provider's own history table; only its column names change.
public sealed class MigrationsHistory(HistoryRepositoryDependencies dependencies)
    : Npgsql.EntityFrameworkCore.PostgreSQL.Migrations.Internal.NpgsqlHistoryRepository(dependencies)
{
    protected override void ConfigureTable(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<HistoryRow> history)
    {
        base.ConfigureTable(history);
        history.Property(h => h.MigrationId).HasColumnName("MigrationId");
        history.Property(h => h.ProductVersion).HasColumnName("ProductVersion");
        history.HasKey(h => h.MigrationId).HasName("PK___EFMigrationsHistory");
    }
}
#pragma warning restore EF1001
