using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cnh.Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class Briefings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<Guid>(
                name: "alert_id",
                table: "deliveries",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "briefing_id",
                table: "deliveries",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "briefings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    period = table.Column<string>(type: "text", nullable: true),
                    subject = table.Column<string>(type: "text", nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    file_name = table.Column<string>(type: "text", nullable: false),
                    pdf = table.Column<byte[]>(type: "bytea", nullable: false),
                    recipients = table.Column<int>(type: "integer", nullable: false),
                    created_by = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_briefings", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_briefing_id_subscription_id",
                table: "deliveries",
                columns: new[] { "briefing_id", "subscription_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_briefings_period",
                table: "briefings",
                column: "period",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "briefings");

            migrationBuilder.DropIndex(
                name: "ix_deliveries_briefing_id_subscription_id",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "briefing_id",
                table: "deliveries");

            migrationBuilder.AlterColumn<Guid>(
                name: "alert_id",
                table: "deliveries",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}
