using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReviewPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ApiClientScopes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Scopes",
                table: "api_clients",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Clients from before scopes keep what their key could do then: submit, attach provenance, read, trigger
            // polls (15). Administer is new and granted only by an admin. The bootstrap client's scopes come from
            // configuration at the next start.
            migrationBuilder.Sql("UPDATE api_clients SET \"Scopes\" = 15;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Scopes",
                table: "api_clients");
        }
    }
}
