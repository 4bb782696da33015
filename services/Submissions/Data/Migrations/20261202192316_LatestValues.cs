using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cnh.Submissions.Data.Migrations
{
    /// <inheritdoc />
    public partial class LatestValues : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "latest_values",
                columns: table => new
                {
                    indicator_code = table.Column<string>(type: "text", nullable: false),
                    period = table.Column<string>(type: "text", nullable: false),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    value = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_latest_values", x => new { x.indicator_code, x.period });
                });

            // The latest revision of every period stored so far; from now on each write keeps it current.
            migrationBuilder.Sql(
                """
                INSERT INTO latest_values (indicator_code, period, revision, value)
                SELECT DISTINCT ON (indicator_code, period) indicator_code, period, revision, value
                FROM submissions ORDER BY indicator_code, period, revision DESC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "latest_values");
        }
    }
}
