using Microsoft.AspNetCore.Builder;
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
        await builder.AddPortalAsync();
        if (builder.Configuration.ReadSettings<DemoSettings>(DemoSettings.Section).Seed)
        {
            builder.Services.AddPortalDemo();
        }

        await builder.Build().RunPortalAsync();
    }
}
