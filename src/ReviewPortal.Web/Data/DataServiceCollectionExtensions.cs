using Microsoft.EntityFrameworkCore;
using ReviewPortal.Web.Infrastructure.LocalPostgres;

namespace ReviewPortal.Web.Data;

public static class DataServiceCollectionExtensions
{
    public static async Task AddPortalDataAsync(this WebApplicationBuilder builder)
    {
        var connectionString = await builder.ResolvePortalConnectionStringAsync();
        builder.Services.AddDbContextFactory<PortalDbContext>(options => options.UseNpgsql(connectionString));
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
