using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ReviewPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ScmIngestAndRevisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_change_files_changes_ChangeId",
                table: "change_files");

            migrationBuilder.DropForeignKey(
                name: "FK_risk_contributions_changes_ChangeId",
                table: "risk_contributions");

            migrationBuilder.RenameColumn(
                name: "ChangeId",
                table: "risk_contributions",
                newName: "RevisionId");

            migrationBuilder.RenameIndex(
                name: "IX_risk_contributions_ChangeId",
                table: "risk_contributions",
                newName: "IX_risk_contributions_RevisionId");

            migrationBuilder.RenameColumn(
                name: "ChangeId",
                table: "change_files",
                newName: "RevisionId");

            migrationBuilder.RenameIndex(
                name: "IX_change_files_ChangeId_Path",
                table: "change_files",
                newName: "IX_change_files_RevisionId_Path");

            migrationBuilder.AddColumn<string>(
                name: "CommitSha",
                table: "decisions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ResetAt",
                table: "decisions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResetReason",
                table: "decisions",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RevisionNumber",
                table: "decisions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "BaseSha",
                table: "changes",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ExternalNumber",
                table: "changes",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExternalUrl",
                table: "changes",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HeadSha",
                table: "changes",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsAgentAuthored",
                table: "changes",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Origin",
                table: "changes",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "RepositoryId",
                table: "changes",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RevisionCount",
                table: "changes",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ScmState",
                table: "changes",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SourceBranch",
                table: "changes",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TargetBranch",
                table: "changes",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsBinary",
                table: "change_files",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "PreviousPath",
                table: "change_files",
                type: "character varying(1024)",
                maxLength: 1024,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "change_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ChangeId = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Detail = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    RevisionNumber = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_change_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_change_events_changes_ChangeId",
                        column: x => x.ChangeId,
                        principalTable: "changes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "change_revisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ChangeId = table.Column<long>(type: "bigint", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    HeadSha = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    BaseSha = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Additions = table.Column<int>(type: "integer", nullable: false),
                    Deletions = table.Column<int>(type: "integer", nullable: false),
                    FileCount = table.Column<int>(type: "integer", nullable: false),
                    RiskScore = table.Column<int>(type: "integer", nullable: false),
                    Tier = table.Column<int>(type: "integer", nullable: false),
                    RuleSetVersion = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_change_revisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_change_revisions_changes_ChangeId",
                        column: x => x.ChangeId,
                        principalTable: "changes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "repositories",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Provider = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    ProjectId = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    ApiBaseUrl = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    LocalPath = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ProtectedAccessToken = table.Column<string>(type: "text", nullable: true),
                    ProtectedWebhookSecret = table.Column<string>(type: "text", nullable: true),
                    DefaultBranch = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    AgentAccounts = table.Column<List<string>>(type: "text[]", nullable: false),
                    AgentLabels = table.Column<List<string>>(type: "text[]", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_repositories", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RepositoryId = table.Column<long>(type: "bigint", nullable: false),
                    Provider = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    DeliveryId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    EventType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Payload = table.Column<string>(type: "text", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastError = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    ProcessedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ChangeId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_deliveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_webhook_deliveries_repositories_RepositoryId",
                        column: x => x.RepositoryId,
                        principalTable: "repositories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_changes_HeadSha",
                table: "changes",
                column: "HeadSha");

            migrationBuilder.CreateIndex(
                name: "IX_changes_RepositoryId_ExternalNumber",
                table: "changes",
                columns: new[] { "RepositoryId", "ExternalNumber" },
                unique: true,
                filter: "\"RepositoryId\" IS NOT NULL AND \"ExternalNumber\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_change_events_ChangeId_At",
                table: "change_events",
                columns: new[] { "ChangeId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_change_revisions_ChangeId_Number",
                table: "change_revisions",
                columns: new[] { "ChangeId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_repositories_Provider_Name",
                table: "repositories",
                columns: new[] { "Provider", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_RepositoryId_DeliveryId",
                table: "webhook_deliveries",
                columns: new[] { "RepositoryId", "DeliveryId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_Status_NextAttemptAt",
                table: "webhook_deliveries",
                columns: new[] { "Status", "NextAttemptAt" });

            // Existing changes become revision 1 of themselves; their files and risk contributions, whose
            // RevisionId column still holds the change id after the rename above, move under that revision.
            migrationBuilder.Sql("""
                INSERT INTO change_revisions ("ChangeId", "Number", "CreatedAt", "Additions", "Deletions", "FileCount", "RiskScore", "Tier", "RuleSetVersion")
                SELECT "Id", 1, "SubmittedAt", "Additions", "Deletions", "FileCount", "RiskScore", "Tier", "RuleSetVersion" FROM changes;
                UPDATE change_files f SET "RevisionId" = r."Id" FROM change_revisions r WHERE r."ChangeId" = f."RevisionId";
                UPDATE risk_contributions c SET "RevisionId" = r."Id" FROM change_revisions r WHERE r."ChangeId" = c."RevisionId";
                UPDATE changes SET "RevisionCount" = 1, "Origin" = 'Api', "ScmState" = 'open', "IsAgentAuthored" = true;
                UPDATE decisions SET "RevisionNumber" = 1;
                """);

            migrationBuilder.AddForeignKey(
                name: "FK_change_files_change_revisions_RevisionId",
                table: "change_files",
                column: "RevisionId",
                principalTable: "change_revisions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_changes_repositories_RepositoryId",
                table: "changes",
                column: "RepositoryId",
                principalTable: "repositories",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_risk_contributions_change_revisions_RevisionId",
                table: "risk_contributions",
                column: "RevisionId",
                principalTable: "change_revisions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_change_files_change_revisions_RevisionId",
                table: "change_files");

            migrationBuilder.DropForeignKey(
                name: "FK_changes_repositories_RepositoryId",
                table: "changes");

            migrationBuilder.DropForeignKey(
                name: "FK_risk_contributions_change_revisions_RevisionId",
                table: "risk_contributions");

            migrationBuilder.DropTable(
                name: "change_events");

            migrationBuilder.DropTable(
                name: "change_revisions");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "webhook_deliveries");

            migrationBuilder.DropTable(
                name: "repositories");

            migrationBuilder.DropIndex(
                name: "IX_changes_HeadSha",
                table: "changes");

            migrationBuilder.DropIndex(
                name: "IX_changes_RepositoryId_ExternalNumber",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "CommitSha",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "ResetAt",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "ResetReason",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "RevisionNumber",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "BaseSha",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "ExternalNumber",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "ExternalUrl",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "HeadSha",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "IsAgentAuthored",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "Origin",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "RepositoryId",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "RevisionCount",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "ScmState",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "SourceBranch",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "TargetBranch",
                table: "changes");

            migrationBuilder.DropColumn(
                name: "IsBinary",
                table: "change_files");

            migrationBuilder.DropColumn(
                name: "PreviousPath",
                table: "change_files");

            migrationBuilder.RenameColumn(
                name: "RevisionId",
                table: "risk_contributions",
                newName: "ChangeId");

            migrationBuilder.RenameIndex(
                name: "IX_risk_contributions_RevisionId",
                table: "risk_contributions",
                newName: "IX_risk_contributions_ChangeId");

            migrationBuilder.RenameColumn(
                name: "RevisionId",
                table: "change_files",
                newName: "ChangeId");

            migrationBuilder.RenameIndex(
                name: "IX_change_files_RevisionId_Path",
                table: "change_files",
                newName: "IX_change_files_ChangeId_Path");

            migrationBuilder.AddForeignKey(
                name: "FK_change_files_changes_ChangeId",
                table: "change_files",
                column: "ChangeId",
                principalTable: "changes",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_risk_contributions_changes_ChangeId",
                table: "risk_contributions",
                column: "ChangeId",
                principalTable: "changes",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
