using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Account;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Ingest;

namespace ReviewPortal.Web.Infrastructure;

/// <summary>
/// Data a host adds once the portal's own start-up data is in place, before the portal listens (the demo host's
/// accounts and changes). The portal itself registers none.
/// </summary>
public interface IStartupSeeder
{
    Task SeedAsync(CancellationToken cancellationToken);
}

/// <summary>What every start needs in the database: the roles, the break-glass administrator, the active risk rules and the configured bootstrap API key.</summary>
public sealed class PortalBootstrap(
    IServiceScopeFactory scopes,
    BreakGlassAccount breakGlass,
    ApiClientRegistry apiClients,
    RiskRuleAdministration riskRules,
    IOptions<IngestSettings> ingest)
{
    public async Task EnsureAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in PortalRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        await breakGlass.EnsureAsync(scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>());
        await riskRules.EnsureActiveAsync(cancellationToken);
        if (ingest.Value.ApiKey is { Length: > 0 } configuredKey)
        {
            // A bootstrap credential from configuration, stored hashed like any other client's key.
            await apiClients.EnsureAsync(IngestSettings.BootstrapClientName, configuredKey, ingest.Value.ApiKeyScopes, cancellationToken);
        }
    }
}

public static class PortalBootstrapExtensions
{
    public static IServiceCollection AddPortalBootstrap(this IServiceCollection services)
    {
        services.AddOptions<IngestSettings>().BindConfiguration(IngestSettings.Section);
        services.AddOptions<DemoSettings>().BindConfiguration(DemoSettings.Section);
        return services.AddSingleton<PortalBootstrap>();
    }

    /// <summary>The portal's start-up data, then whatever the host added through <see cref="IStartupSeeder"/>.</summary>
    public static async Task SeedPortalDataAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.Services.GetRequiredService<PortalBootstrap>().EnsureAsync();
        var seeders = app.Services.GetServices<IStartupSeeder>().ToList();
        if (seeders.Count == 0 && app.Services.GetRequiredService<IOptions<DemoSettings>>().Value.Seed)
        {
            // The demo data is not part of this build: it ships with the demo host only.
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PortalBootstrap))
                .LogWarning("Demo:Seed is on, but this host has no demo data; the demo runs with scripts/demo.sh (src/ReviewPortal.Demo).");
        }

        foreach (var seeder in seeders)
        {
            await seeder.SeedAsync(CancellationToken.None);
        }
    }
}
