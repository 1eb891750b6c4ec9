using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Tests.Infrastructure.Security;

public sealed class DataProtectionKeyStoreTests
{
    // The last migration before the keys moved to the EF Core key store; the key table is as that store found it.
    private const string LastMigrationOfTheHandWrittenStore = "20261204190935_ApiClientGrants";

    [Fact]
    public async Task A_token_protected_with_a_key_the_earlier_repository_wrote_still_decrypts_after_the_migration()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("dpkeys-upgrade");
        await using (var db = new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>().UseNpgsql(connectionString).Options))
        {
            await db.GetService<IMigrator>().MigrateAsync(LastMigrationOfTheHandWrittenStore);
        }

        string protectedToken;
        await using (var earlier = EarlierDataProtection(connectionString))
        {
            protectedToken = new SecretProtector(earlier.GetRequiredService<IDataProtectionProvider>()).Protect("ghp_token_stored_before");
        }

        var earlierRows = await KeyRowsAsync(connectionString);
        var earlierKey = Assert.Single(earlierRows);

        await using var portal = new PortalFactory(connectionString);
        var unprotected = portal.Services.GetRequiredService<SecretProtector>().Unprotect(protectedToken);

        Assert.Equal("ghp_token_stored_before", unprotected);
        await using var scope = portal.Services.CreateAsyncScope();
        var db2 = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.Empty(await db2.Database.GetPendingMigrationsAsync());
        // The key the earlier repository wrote is the one in use: no new key was needed to read the token.
        Assert.Equal(earlierRows, await KeyRowsAsync(connectionString));
        Assert.Equal(earlierKey.Xml, Assert.Single(await db2.DataProtectionKeys.AsNoTracking().ToListAsync()).Xml);
    }

    [Fact]
    public async Task Keys_are_kept_in_the_database_so_a_second_instance_reads_what_the_first_protected()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("dpkeys-shared");
        string protectedToken;
        await using (var first = new PortalFactory(connectionString))
        {
            protectedToken = first.Services.GetRequiredService<SecretProtector>().Protect("glpat_shared_token");
        }

        await using var second = new PortalFactory(connectionString);

        Assert.Equal("glpat_shared_token", second.Services.GetRequiredService<SecretProtector>().Unprotect(protectedToken));
        var key = Assert.Single(await KeyRowsAsync(connectionString));
        Assert.StartsWith("<key id=", key.Xml, StringComparison.Ordinal);
    }

    /// <summary>Data Protection as the portal had it before, with the key rows its hand-written repository wrote.</summary>
    private static ServiceProvider EarlierDataProtection(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("ReviewPortal");
        services.Configure<KeyManagementOptions>(options => options.XmlRepository = new EarlierKeyRows(connectionString));
        return services.BuildServiceProvider();
    }

    private static async Task<List<(string? FriendlyName, string Xml)>> KeyRowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "FriendlyName", "Xml" FROM data_protection_keys ORDER BY "Id" """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string?, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    /// <summary>The rows the portal's earlier key repository wrote: the friendly name and the unformatted key XML.</summary>
    private sealed class EarlierKeyRows(string connectionString) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new NpgsqlCommand("""SELECT "Xml" FROM data_protection_keys""", connection);
            using var reader = command.ExecuteReader();
            var elements = new List<XElement>();
            while (reader.Read())
            {
                elements.Add(XElement.Parse(reader.GetString(0)));
            }

            return elements;
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new NpgsqlCommand("""INSERT INTO data_protection_keys ("FriendlyName", "Xml") VALUES (@name, @xml)""", connection);
            command.Parameters.AddWithValue("name", friendlyName);
            command.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
            command.ExecuteNonQuery();
        }
    }
}
