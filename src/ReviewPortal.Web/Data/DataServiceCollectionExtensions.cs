using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using ReviewPortal.Web.Infrastructure;
using ReviewPortal.Web.Infrastructure.LocalPostgres;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Web.Data;

public static class DataServiceCollectionExtensions
{
    public static async Task AddPortalDataAsync(this WebApplicationBuilder builder)
    {
        var connectionString = await builder.ResolvePortalConnectionStringAsync();
        // One data source for EF Core and for the few hot paths that use Npgsql directly (the webhook inbox).
        var dataSource = NpgsqlDataSource.Create(connectionString);
        builder.Services.AddSingleton(dataSource);
        // Every save through the change tracker NOTIFYs the changes it touched, so open pages on every instance update.
        builder.Services.AddDbContextFactory<PortalDbContext>((services, options) => options
            .UseNpgsql(dataSource)
            .AddInterceptors(services.GetRequiredService<ChangeNotificationInterceptor>()));
        builder.Services.AddHealthChecks().AddDbContextCheck<PortalDbContext>("database");
    }

    /// <summary>
    /// Applies pending migrations at start-up unless <c>Database:MigrateOnStartup</c> is false. Holds the
    /// the start-up <see cref="AdvisoryLock"/> from here until the application has started, so that the seeding Program.cs runs next
    /// is covered too: instances starting together migrate and seed one after the other.
    /// </summary>
    public static async Task MigratePortalDatabaseAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdvisoryLock));
        var startupLock = await AdvisoryLock.AcquireAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), AdvisoryLock.StartupNamespace, AdvisoryLock.StartupKey,
            "the start-up lock (migrating or seeding the database)", logger);
        app.Lifetime.ApplicationStarted.Register(() => _ = startupLock.DisposeAsync().AsTask());
        app.Lifetime.ApplicationStopping.Register(() => _ = startupLock.DisposeAsync().AsTask());
        if (!app.Configuration.ReadSettings<DatabaseSettings>(DatabaseSettings.Section).MigrateOnStartup)
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        // Migrate reads the history table before it creates it, and on an empty database that failed read is logged
        // as an error although nothing is wrong: created first, the read succeeds. A real migration failure still
        // throws and is logged.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync();
        await db.Database.MigrateAsync();
    }
}
