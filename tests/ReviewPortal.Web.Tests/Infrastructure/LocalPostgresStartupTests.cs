using ReviewPortal.Testing;

namespace ReviewPortal.Web.Tests.Infrastructure;

public sealed class LocalPostgresStartupTests
{
    [Fact]
    public async Task Without_a_connection_string_the_portal_starts_its_own_postgres_and_stops_it_on_shutdown()
    {
        var root = Path.Combine(Path.GetTempPath(), "reviewportal-tests", "local-" + Guid.NewGuid().ToString("N"));
        try
        {
            string dataDirectory;
            await using (var factory = new PortalFactory(connectionString: "", settings: new Dictionary<string, string?>(StringComparer.Ordinal) { ["LocalPostgres:Root"] = root }))
            {
                using var client = factory.CreateClient();

                Assert.Equal("Healthy", await client.GetStringAsync("/health"));
                dataDirectory = Path.Combine(root, "postgres");
                Assert.True(File.Exists(Path.Combine(dataDirectory, "PG_VERSION")), "the cluster lives in the configured folder");
                Assert.True(File.Exists(Path.Combine(dataDirectory, "postmaster.pid")), "the server is running");
            }

            // The app's own RunAsync completes its shutdown on the entry-point thread, after the factory's
            // DisposeAsync has returned: give it a bounded time.
            await Eventually.TrueAsync(() => !File.Exists(Path.Combine(dataDirectory, "postmaster.pid")), "the server to stop with the app");
            Assert.False(File.Exists(Path.Combine(dataDirectory, "postmaster.pid")), "the server stopped with the app");
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
