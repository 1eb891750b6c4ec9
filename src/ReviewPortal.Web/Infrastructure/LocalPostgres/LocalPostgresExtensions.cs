namespace ReviewPortal.Web.Infrastructure.LocalPostgres;

public static class LocalPostgresExtensions
{
    /// <summary>
    /// Without <c>ConnectionStrings:Portal</c>, starts (or reuses) the development cluster in the repository's
    /// ignored <c>.local/</c> folder and points the connection string at it. It stops with the app.
    /// </summary>
    public static async Task<string> ResolvePortalConnectionStringAsync(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString("Portal");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var root = builder.Configuration.ReadSettings<LocalPostgresSettings>(LocalPostgresSettings.Section).Root is { Length: > 0 } configuredRoot
            ? configuredRoot
            : Path.Combine(FindRepositoryRoot(builder.Environment.ContentRootPath), ".local");
        var cluster = await LocalPostgresCluster.StartAsync(LocalPostgresCluster.ChooseDataDirectory(root, "postgres"), ephemeral: false);
        await cluster.CreateDatabaseAsync("reviewportal");
        // Created through a factory so the container owns it and stops it when disposed; the hosted service
        // resolves it at start-up and stops it after a graceful host shutdown.
        builder.Services.AddSingleton(_ => cluster);
        builder.Services.AddHostedService<LocalPostgresLifetime>();
        var connectionString = cluster.ConnectionStringFor("reviewportal");
        builder.Configuration["ConnectionStrings:Portal"] = connectionString;
        Console.WriteLine($"Local PostgreSQL started: 127.0.0.1:{cluster.Port}, data in {cluster.DataDirectory}");
        return connectionString;
    }

    /// <summary>The folder holding ReviewPortal.sln above <paramref name="start"/>, or <paramref name="start"/> itself.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReviewPortal.sln")))
            {
                return dir.FullName;
            }
        }

        return start;
    }
}

/// <summary>Stops the app's own cluster once the host has stopped everything else that might still use it.</summary>
internal sealed class LocalPostgresLifetime(LocalPostgresCluster cluster) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => cluster.DisposeAsync().AsTask();
}
