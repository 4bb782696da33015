using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cnh.Submissions.Data.Migrations
{
    /// <inheritdoc />
    public partial class IdempotentAnswers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "location",
                table: "idempotency_keys",
                type: "text",
                nullable: true);

            // One mechanism for single and batch requests: every key keeps its first answer. A single request's answer
            // was rebuilt from its submission; write it down now, as it was answered, and the batches' Location too.
            migrationBuilder.Sql("""
                UPDATE idempotency_keys k
                SET response = jsonb_build_object('id', s.id, 'revision', s.revision, 'status', 'Accepted',
                        'statusUrl', '/api/submissions/' || s.id, 'flagged', s.flagged, 'flagReason', s.flag_reason, 'traceId', s.trace_id),
                    location = '/api/submissions/' || s.id
                FROM submissions s
                WHERE k.submission_id = s.id AND k.response IS NULL;
                UPDATE idempotency_keys SET location = '/api/submissions?batch=' || (response->>'batchId')
                WHERE location IS NULL AND response ? 'batchId';
                """);

            migrationBuilder.DropColumn(
                name: "submission_id",
                table: "idempotency_keys");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "location",
                table: "idempotency_keys");

            migrationBuilder.AddColumn<Guid>(
                name: "submission_id",
                table: "idempotency_keys",
                type: "uuid",
                nullable: true);
        }
    }
}
