using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReviewPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DataProtectionKeysInTheEfCoreStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // No schema change: the keys move from the hand-written repository to the EF Core key store, whose
            // entity (Id, FriendlyName, Xml) is mapped onto data_protection_keys as it is. The rows written
            // before stay where they are and keep decrypting the stored SCM tokens and webhook secrets.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: the table is the same for both key stores.
        }
    }
}
