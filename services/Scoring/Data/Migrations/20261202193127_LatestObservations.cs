using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cnh.Scoring.Data.Migrations
{
    /// <inheritdoc />
    public partial class LatestObservations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "latest_observations",
                columns: table => new
                {
                    indicator_code = table.Column<string>(type: "text", nullable: false),
                    period = table.Column<string>(type: "text", nullable: false),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    submission_id = table.Column<Guid>(type: "uuid", nullable: false),
                    value = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_latest_observations", x => new { x.indicator_code, x.period });
                });

            // The latest revision of every period stored so far; from now on each group of values keeps it current.
            migrationBuilder.Sql(
                """
                INSERT INTO latest_observations (indicator_code, period, revision, submission_id, value)
                SELECT DISTINCT ON (indicator_code, period) indicator_code, period, revision, submission_id, value
                FROM observations ORDER BY indicator_code, period, revision DESC;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "latest_observations");
        }
    }
}
