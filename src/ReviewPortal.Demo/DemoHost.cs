using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using ReviewPortal.Web.Features.Account;
using ReviewPortal.Web.Features.Account.SingleSignOn;
using ReviewPortal.Web.Infrastructure;
using ReviewPortal.Web.Infrastructure.LocalPostgres;

namespace ReviewPortal.Demo;

/// <summary>
/// The portal as it runs in production, plus the demo data when <c>Demo:Seed</c> is on. It runs under the portal's
/// name and from the portal's folder, so the settings, static web assets and Data Protection keys are the portal's own.
/// </summary>
internal static class DemoHost
{
    public static async Task Main(string[] args)
    {
        var portal = typeof(PortalHost).Assembly.GetName().Name!;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = portal,
            ContentRootPath = Path.Combine(LocalPostgresExtensions.FindRepositoryRoot(AppContext.BaseDirectory), "src", portal),
        });
        var demo = builder.Configuration.ReadSettings<DemoSettings>(DemoSettings.Section).Seed;
        await using var identityProvider = demo ? await StartIdentityProviderAsync(builder) : null;
        await builder.AddPortalAsync();
        if (demo)
        {
            builder.Services.AddPortalDemo();
        }

        await builder.Build().RunPortalAsync();
    }

    /// <summary>
    /// The development identity provider with the demo's people, on a fixed port so that its issuer (half of every SSO
    /// account's key) stays the same from run to run; not started when providers are configured.
    /// </summary>
    private static async Task<DevIdentityProvider?> StartIdentityProviderAsync(WebApplicationBuilder builder)
    {
        if (builder.Configuration.ReadSettings<SingleSignOnSettings>(SingleSignOnSettings.Section).Providers.Count > 0)
        {
            return null;
        }

        var settings = builder.Configuration.ReadSettings<DemoDataSettings>(DemoDataSettings.Section);
        var portal = new Uri((builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? "http://127.0.0.1:5080").Split(';')[0]);
        var provider = await DevIdentityProvider.StartAsync(DevIdentityProvider.DemoPeopleFile, [DevIdentityProvider.ClientFor(portal)], allowControl: false, settings.IdentityProviderPort);
        builder.Configuration.AddInMemoryCollection(provider.PortalSettings());
        // Under single sign-on only the break-glass administrator signs in with a password: in the demo, the demo admin.
        if (builder.Configuration.ReadSettings<LocalSignInSettings>(LocalSignInSettings.Section).BreakGlassUserName is not { Length: > 0 })
        {
            builder.Configuration.AddInMemoryCollection([new($"{LocalSignInSettings.Section}:{nameof(LocalSignInSettings.BreakGlassUserName)}", DemoSeeder.AdminAccount)]);
        }

        Console.WriteLine($"Development identity provider started: {provider.Issuer} (the demo's people, password {DemoSeeder.DefaultDemoPassword}).");
        return provider;
    }
}
