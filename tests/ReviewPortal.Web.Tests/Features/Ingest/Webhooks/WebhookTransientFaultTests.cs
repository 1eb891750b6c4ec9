using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;

namespace ReviewPortal.Web.Tests.Features.Ingest.Webhooks;

[Trait("Category", "WebhookSecurity")]
public sealed class WebhookTransientFaultTests
{
    [Fact]
    public async Task When_the_database_refuses_connections_a_valid_delivery_gets_503_with_retry_after_never_a_4xx()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("faults");
        await using var factory = new PortalFactory(connectionString, settings: new Dictionary<string, string?>(StringComparer.Ordinal) { ["Webhooks:Worker:Enabled"] = "false" });
        var registered = await factory.Services.GetRequiredService<RepositoryRegistry>()
            .RegisterAsync(new RegisterRepositoryRequest(ScmProvider.GitHub, "acme/faulty", null, "http://127.0.0.1:9", null, null));
        using var client = factory.CreateClient();
        var body = Encoding.UTF8.GetBytes(ScmPayloads.GitHubPullRequest("opened", "acme/faulty", 1, "b1", "h1"));
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(WebhookFixture.SignedGitHub(registered, "before-fault", body))).StatusCode);

        await RefuseConnectionsAsync(connectionString);
        foreach (var deliveryId in new[] { "during-fault-1", "during-fault-2" })
        {
            var response = await client.SendAsync(WebhookFixture.SignedGitHub(registered, deliveryId, body));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(response.Headers.RetryAfter);
        }
    }

    private static async Task RefuseConnectionsAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        // ALLOW_CONNECTIONS binds superusers too (a CONNECTION LIMIT would not); then the open sessions are ended.
        await using var limit = new NpgsqlCommand($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false", connection);
        await limit.ExecuteNonQueryAsync();
        await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @db AND pid <> pg_backend_pid()", connection);
        terminate.Parameters.AddWithValue("db", database);
        await terminate.ExecuteNonQueryAsync();
    }
}
