using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cnh.Submissions.Data.Migrations
{
    /// <inheritdoc />
    public partial class ApprovalWorkflow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "approval",
                table: "submissions",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Submitted");

            migrationBuilder.AddColumn<string>(
                name: "review_comment",
                table: "submissions",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "reviewed_at",
                table: "submissions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "reviewed_by",
                table: "submissions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "locked",
                table: "latest_values",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "catalogue",
                table: "indicator_replicas",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "ix_submissions_approval_department",
                table: "submissions",
                columns: new[] { "approval", "department" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_submissions_approval_department",
                table: "submissions");

            migrationBuilder.DropColumn(
                name: "approval",
                table: "submissions");

            migrationBuilder.DropColumn(
                name: "review_comment",
                table: "submissions");

            migrationBuilder.DropColumn(
                name: "reviewed_at",
                table: "submissions");

            migrationBuilder.DropColumn(
                name: "reviewed_by",
                table: "submissions");

            migrationBuilder.DropColumn(
                name: "locked",
                table: "latest_values");

            migrationBuilder.DropColumn(
                name: "catalogue",
                table: "indicator_replicas");
        }
    }
}
