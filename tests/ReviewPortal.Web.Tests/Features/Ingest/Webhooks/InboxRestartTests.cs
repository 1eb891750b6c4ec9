using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;

namespace ReviewPortal.Web.Tests.Features.Ingest.Webhooks;

public sealed class InboxRestartTests
{
    [Fact]
    public async Task A_delivery_acknowledged_before_a_restart_is_processed_by_the_next_instance()
    {
        await using var scm = await FakeScmServer.StartAsync();
        scm.PutPullRequest("acme/restart", 5, "base0000005", "head0000005", [new FakeFile("src/Auth/Session.cs", null, "class Session {}\n")]);
        var connectionString = await TestPostgres.CreateDatabaseAsync("restart");
        RegisteredRepository registered;

        // First instance: takes the delivery and stops before processing it (its worker is off).
        await using (var first = new PortalFactory(connectionString, settings: new Dictionary<string, string?>(StringComparer.Ordinal) { ["Webhooks:Worker:Enabled"] = "false" }))
        {
            registered = await first.Services.GetRequiredService<RepositoryRegistry>()
                .RegisterAsync(new RegisterRepositoryRequest(ScmProvider.GitHub, "acme/restart", null, scm.GitHubApiBase, "ghp_restart", null, AgentAccounts: ["*[bot]"]));
            using var client = first.CreateClient();
            var response = await client.SendAsync(WebhookFixture.SignedGitHub(registered, "restart-delivery",
                Encoding.UTF8.GetBytes(ScmPayloads.GitHubPullRequest("opened", "acme/restart", 5, "base0000005", "head0000005"))));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // Second instance on the same database: its worker finds the stored delivery and creates the change.
        await using var second = new PortalFactory(connectionString);
        _ = second.Services;
        // The worker stores the change, then marks the delivery done: wait for the second, then look at both.
        var delivery = await Eventually.ValueAsync(
            async () =>
            {
                await using var scope = second.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().WebhookDeliveries.AsNoTracking().SingleAsync(d => d.DeliveryId == "restart-delivery");
            },
            d => d.Status == DeliveryStatus.Done,
            "the second instance to process the stored delivery");

        Assert.Equal(DeliveryStatus.Done, delivery.Status);
        await using var check = second.Services.CreateAsyncScope();
        var change = await check.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.SingleAsync(c => c.ExternalNumber == 5 && c.RepositoryId == registered.Repository.Id);
        Assert.Equal(change.Id, delivery!.ChangeId);
        Assert.Equal(("head0000005", ReviewPortal.Domain.Risk.RiskTier.High), (change.HeadSha, change.Tier));
    }
}
