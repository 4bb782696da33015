using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Cnh.Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeadlineAndApprovalAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.InsertData(
                table: "alert_rules",
                columns: new[] { "kind", "enabled", "notify_coordinating", "notify_leadership", "notify_responsible", "severity" },
                values: new object[,]
                {
                    { "ApprovalAwaited", true, false, false, true, "info" },
                    { "SubmissionDueSoon", true, false, false, true, "info" },
                    { "SubmissionEscalated", true, false, true, false, "critical" },
                    { "SubmissionReturned", true, false, false, true, "warning" }
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DeleteData(
                table: "alert_rules",
                keyColumn: "kind",
                keyValue: "ApprovalAwaited");

            migrationBuilder.DeleteData(
                table: "alert_rules",
                keyColumn: "kind",
                keyValue: "SubmissionDueSoon");

            migrationBuilder.DeleteData(
                table: "alert_rules",
                keyColumn: "kind",
                keyValue: "SubmissionEscalated");

            migrationBuilder.DeleteData(
                table: "alert_rules",
                keyColumn: "kind",
                keyValue: "SubmissionReturned");
        }
    }
}
