using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cnh.Scoring.Data.Migrations
{
    /// <inheritdoc />
    public partial class LiveDefinitions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_indicator_definitions_live",
                table: "indicator_definitions",
                column: "code",
                filter: "NOT retired");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_indicator_definitions_live",
                table: "indicator_definitions");
        }
    }
}
