using Microsoft.EntityFrameworkCore;
using Npgsql;
using ReviewPortal.Web.Infrastructure.LocalPostgres;

namespace ReviewPortal.Web.Data;

public static class DataServiceCollectionExtensions
{
    public static async Task AddPortalDataAsync(this WebApplicationBuilder builder)
    {
        var connectionString = await builder.ResolvePortalConnectionStringAsync();
        // One data source for EF Core and for the few hot paths that use Npgsql directly (the webhook inbox).
        var dataSource = NpgsqlDataSource.Create(connectionString);
        builder.Services.AddSingleton(dataSource);
        builder.Services.AddDbContextFactory<PortalDbContext>(options => options.UseNpgsql(dataSource));
        builder.Services.AddHealthChecks().AddDbContextCheck<PortalDbContext>("database");
    }

    /// <summary>Applies pending migrations at start-up unless <c>Database:MigrateOnStartup</c> is false.</summary>
    public static async Task MigratePortalDatabaseAsync(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Database:MigrateOnStartup", defaultValue: true))
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Database.MigrateAsync();
    }
}
