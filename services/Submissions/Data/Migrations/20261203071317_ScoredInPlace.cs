using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cnh.Submissions.Data.Migrations
{
    /// <inheritdoc />
    public partial class ScoredInPlace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "submissions")
                .Annotation("Npgsql:StorageParameter:fillfactor", 50);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "submissions")
                .OldAnnotation("Npgsql:StorageParameter:fillfactor", 50);
        }
    }
}
