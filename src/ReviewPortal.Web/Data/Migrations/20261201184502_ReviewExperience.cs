using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReviewPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReviewExperience : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsAutomatic",
                table: "decisions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "PolicyRule",
                table: "decisions",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "ReviewerRoles",
                table: "decisions",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AssignedAt",
                table: "changes",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AssignedToId",
                table: "changes",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AssignedToName",
                table: "changes",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AutoAssignedTier",
                table: "changes",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DiffViewMode",
                table: "AspNetUsers",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "SideBySide");

            migrationBuilder.CreateTable(
                name: "file_diffs",
                columns: table => new
                {
                    FileId = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Script = table.Column<string>(type: "text", nullable: true),
                    OldLineCount = table.Column<int>(type: "integer", nullable: false),
                    NewLineCount = table.Column<int>(type: "integer", nullable: false),
                    ByteSize = table.Column<long>(type: "bigint", nullable: false),
                    HunkCount = table.Column<int>(type: "integer", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    ComputedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ComputeMilliseconds = table.Column<double>(type: "double precision", nullable: true),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_file_diffs", x => x.FileId);
                    table.ForeignKey(
                        name: "FK_file_diffs_change_files_FileId",
                        column: x => x.FileId,
                        principalTable: "change_files",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "file_view_marks",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    FileId = table.Column<long>(type: "bigint", nullable: false),
                    MarkedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_file_view_marks", x => new { x.UserId, x.FileId });
                    table.ForeignKey(
                        name: "FK_file_view_marks_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_file_view_marks_change_files_FileId",
                        column: x => x.FileId,
                        principalTable: "change_files",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_changes_AssignedToId",
                table: "changes",
                column: "AssignedToId");

            migrationBuilder.CreateIndex(
                name: "IX_file_diffs_pending",
                table: "file_diffs",
                column: "FileId",
                filter: "\"Status\" = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_file_view_marks_FileId",
                table: "file_view_marks",
                column: "FileId");

            // Files that arrived before diffs were stored get theirs from the diff worker like new ones.
            migrationBuilder.Sql("""
                INSERT INTO file_diffs ("FileId", "Status", "OldLineCount", "NewLineCount", "ByteSize", "HunkCount", "Attempts")
                SELECT "Id", 'Pending', 0, 0, 0, 0, 0 FROM change_files WHERE NOT "IsBinary";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "file_diffs");

            migrationBuilder.DropTable(
                name: "file_view_marks");

            migrationBuilder.DropIndex(
                name: "IX_changes_AssignedToId",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "IsAutomatic",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "PolicyRule",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "ReviewerRoles",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "AssignedAt",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "AssignedToId",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "AssignedToName",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "AutoAssignedTier",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "DiffViewMode",
                table: "AspNetUsers");
        }
    }
}
