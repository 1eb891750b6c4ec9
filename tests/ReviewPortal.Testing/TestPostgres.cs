using ReviewPortal.Web.Infrastructure.LocalPostgres;

namespace ReviewPortal.Testing;

/// <summary>
/// One private, throw-away PostgreSQL cluster per test process (started on first use, removed at exit); each
/// fixture gets its own database in it, so test classes stay isolated and can run in parallel.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<LocalPostgresCluster>> Cluster = new(() =>
        LocalPostgresCluster.StartAsync(
            LocalPostgresCluster.ChooseDataDirectory(Path.Combine(Path.GetTempPath(), "reviewportal-tests"), $"pg-{Environment.ProcessId}-{Guid.NewGuid():N}"),
            ephemeral: true));

    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var cluster = await Cluster.Value;
        var name = $"{purpose.ToLowerInvariant()}_{Guid.NewGuid():N}"[..Math.Min(60, purpose.Length + 33)];
        await cluster.CreateDatabaseAsync(name);
        return cluster.ConnectionStringFor(name);
    }
}
