using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cnh.Catalogue.Data.Migrations
{
    /// <inheritdoc />
    public partial class CatalogueReleases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "document",
                table: "indicator_versions",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "catalogue_releases",
                columns: table => new
                {
                    document = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    catalogue = table.Column<string>(type: "text", nullable: false),
                    applied_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    summary = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_catalogue_releases", x => x.document);
                });

            migrationBuilder.CreateTable(
                name: "released_definitions",
                columns: table => new
                {
                    code = table.Column<string>(type: "text", nullable: false),
                    definition = table.Column<string>(type: "jsonb", nullable: false),
                    document = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_released_definitions", x => x.code);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "catalogue_releases");

            migrationBuilder.DropTable(
                name: "released_definitions");

            migrationBuilder.DropColumn(
                name: "document",
                table: "indicator_versions");
        }
    }
}
