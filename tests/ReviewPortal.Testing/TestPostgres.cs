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
        // PostgreSQL names stop at 63 bytes: keep the unique part whole and shorten the readable part.
        var readable = new string(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(24).ToArray());
        var name = $"{readable}_{Guid.NewGuid():N}";
        await cluster.CreateDatabaseAsync(name);
        return cluster.ConnectionStringFor(name);
    }
}
