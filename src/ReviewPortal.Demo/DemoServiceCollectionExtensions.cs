using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReviewPortal.Web.Features.Ingest;
using ReviewPortal.Web.Infrastructure;

namespace ReviewPortal.Demo;

public static class DemoServiceCollectionExtensions
{
    /// <summary>Plugs the demo data into the portal's start-up (<see cref="IStartupSeeder"/>).</summary>
    public static IServiceCollection AddPortalDemo(this IServiceCollection services) =>
        services.AddOptions<DemoDataSettings>().BindConfiguration(DemoDataSettings.Section).Services
            .AddSingleton<DemoGitRepository>()
            .AddSingleton<DemoSeeder>()
            .AddSingleton<IStartupSeeder>(provider => provider.GetRequiredService<DemoSeeder>())
            .AddHostedService<DemoReadyMessage>();
}

/// <summary>Where to go and how to sign in, said once the portal is listening (the address is only known then).</summary>
internal sealed class DemoReadyMessage(IServer server, IHostApplicationLifetime lifetime, IOptions<IngestSettings> ingest, ILogger<DemoReadyMessage> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "(no address)";
            logger.LogInformation("ReviewPortal demo is ready at {Address}: sign in as {Account} (the demo accounts and their password are listed above and in README.md).",
                address, DemoSeeder.DemoAccounts[0].Email);
            if (ingest.Value.ApiKey is { Length: > 0 } apiKey)
            {
                logger.LogInformation("Agents submit changes with: curl -H 'X-Api-Key: {ApiKey}' -H 'Content-Type: application/json' -d @change.json {Address}/api/changes", apiKey, address);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
