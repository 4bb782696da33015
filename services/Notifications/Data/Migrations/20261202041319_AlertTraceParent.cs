using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cnh.Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class AlertTraceParent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "trace_parent",
                table: "alerts",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "trace_parent",
                table: "alerts");
        }
    }
}
