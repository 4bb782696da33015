using Cnh.ServiceDefaults;
﻿using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Cnh.Submissions.Data.Migrations
{
    /// <inheritdoc />
    public partial class BatchesDeadlinesAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "batch_id",
                table: "submissions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "flag_reason",
                table: "submissions",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "flagged",
                table: "submissions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "due_days",
                table: "indicator_replicas",
                type: "integer",
                nullable: false,
                defaultValue: 90);

            migrationBuilder.AddColumn<double>(
                name: "plausible_max",
                table: "indicator_replicas",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "plausible_min",
                table: "indicator_replicas",
                type: "double precision",
                nullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "submission_id",
                table: "idempotency_keys",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<string>(
                name: "response",
                table: "idempotency_keys",
                type: "jsonb",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    action = table.Column<string>(type: "text", nullable: false),
                    entity = table.Column<string>(type: "text", nullable: false),
                    entity_key = table.Column<string>(type: "text", nullable: false),
                    client_id = table.Column<string>(type: "text", nullable: false),
                    role = table.Column<string>(type: "text", nullable: false),
                    department = table.Column<string>(type: "text", nullable: true),
                    trace_id = table.Column<string>(type: "text", nullable: true),
                    details = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_entries", x => x.id);
                });

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

            migrationBuilder.CreateIndex(
                name: "ix_submissions_batch_id",
                table: "submissions",
                column: "batch_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_at",
                table: "audit_entries",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_entity_entity_key",
                table: "audit_entries",
                columns: new[] { "entity", "entity_key" });

            migrationBuilder.CreateImmutableAuditTrigger();
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_entries");

            migrationBuilder.DropTable(
                name: "overdue_reports");

            migrationBuilder.DropIndex(
                name: "ix_submissions_batch_id",
                table: "submissions");

            migrationBuilder.DropColumn(
                name: "batch_id",
                table: "submissions");

            migrationBuilder.DropColumn(
                name: "flag_reason",
                table: "submissions");

            migrationBuilder.DropColumn(
                name: "flagged",
                table: "submissions");

            migrationBuilder.DropColumn(
                name: "due_days",
                table: "indicator_replicas");

            migrationBuilder.DropColumn(
                name: "plausible_max",
                table: "indicator_replicas");

            migrationBuilder.DropColumn(
                name: "plausible_min",
                table: "indicator_replicas");

            migrationBuilder.DropColumn(
                name: "response",
                table: "idempotency_keys");

            migrationBuilder.AlterColumn<Guid>(
                name: "submission_id",
                table: "idempotency_keys",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}
