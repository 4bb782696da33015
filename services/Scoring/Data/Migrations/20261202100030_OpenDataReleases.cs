using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cnh.Scoring.Data.Migrations
{
    /// <inheritdoc />
    public partial class OpenDataReleases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "name_vi",
                table: "indicator_definitions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "unit",
                table: "indicator_definitions",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "open_data_releases",
                columns: table => new
                {
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    previous_date = table.Column<DateOnly>(type: "date", nullable: true),
                    rows = table.Column<string>(type: "jsonb", nullable: false),
                    indicators = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_open_data_releases", x => x.date);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "open_data_releases");

            migrationBuilder.DropColumn(
                name: "name_vi",
                table: "indicator_definitions");

            migrationBuilder.DropColumn(
                name: "unit",
                table: "indicator_definitions");
        }
    }
}
