using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Account;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Decisions;
using ReviewPortal.Web.Features.Ingest;
using ReviewPortal.Web.Features.Ingest.LocalGit;
using ReviewPortal.Web.Features.Ingest.Webhooks;
using ReviewPortal.Web.Features.Queue;
using ReviewPortal.Web.Features.Review;
using ReviewPortal.Web.Infrastructure.Notifications;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Infrastructure;

/// <summary>
/// The portal's composition, shared by its own entry point and by hosts that add to it (the demo host registers
/// an <see cref="IStartupSeeder"/> between <see cref="AddPortalAsync"/> and building the application).
/// </summary>
public static class PortalHost
{
    public static async Task AddPortalAsync(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        await builder.AddPortalDataAsync();
        builder.Services
            .AddPortalWebUi()
            .AddPortalNotifications()
            .AddPortalDataProtection(builder.Configuration, builder.Environment)
            .AddPortalHardening(builder.Configuration)
            .AddPortalAccounts(builder.Configuration)
            .AddPortalAdmin()
            .AddPortalIngest()
            .AddPortalWebhooks(builder.Configuration)
            .AddPortalLocalGit()
            .AddPortalQueue()
            .AddPortalReview(builder.Configuration)
            .AddPortalDecisions()
            .AddPortalBootstrap();
    }

    /// <summary>Migrates, seeds, maps every endpoint and runs until shut down.</summary>
    public static async Task RunPortalAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.MigratePortalDatabaseAsync();
        await app.SeedPortalDataAsync();

        app.UsePortalHardening();
        app.UsePortalPipeline();
        app.MapPortalWebUi();
        app.MapPortalAccounts();
        app.MapPortalIngest();
        app.MapPortalQueue();
        app.MapPortalWebhooks();
        app.MapPortalAdmin();
        app.MapPortalLocalGit();

        await app.RunAsync();
    }
}
