using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cnh.Submissions.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeadlineNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "deadline_reports",
                columns: table => new
                {
                    indicator_code = table.Column<string>(type: "text", nullable: false),
                    period = table.Column<string>(type: "text", nullable: false),
                    department = table.Column<string>(type: "text", nullable: false),
                    notice = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    due_date = table.Column<DateOnly>(type: "date", nullable: false),
                    reported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_deadline_reports", x => new { x.indicator_code, x.period, x.department, x.notice });
                });
            // Overdue notices already sent stay sent. Gaps reported before escalations existed are not escalated all at
            // once on the first scan (months of them would flood leadership): only those reported in the last 7 days are.
            migrationBuilder.Sql(
                """
                INSERT INTO deadline_reports (indicator_code, period, department, notice, due_date, reported_at)
                SELECT indicator_code, period, department, 'overdue', due_date, reported_at FROM overdue_reports;
                INSERT INTO deadline_reports (indicator_code, period, department, notice, due_date, reported_at)
                SELECT indicator_code, period, department, 'escalation', due_date, reported_at FROM overdue_reports
                WHERE reported_at < now() - interval '7 days';
                """
            );

            migrationBuilder.DropTable(name: "overdue_reports");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "deadline_reports");

            migrationBuilder.CreateTable(
                name: "overdue_reports",
                columns: table => new
                {
                    indicator_code = table.Column<string>(type: "text", nullable: false),
                    period = table.Column<string>(type: "text", nullable: false),
                    department = table.Column<string>(type: "text", nullable: false),
                    due_date = table.Column<DateOnly>(type: "date", nullable: false),
                    reported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_overdue_reports", x => new { x.indicator_code, x.period, x.department });
                });
        }
    }
}
