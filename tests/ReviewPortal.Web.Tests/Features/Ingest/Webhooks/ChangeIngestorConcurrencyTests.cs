using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Ingest;
using ReviewPortal.Web.Features.Ingest.Webhooks;

namespace ReviewPortal.Web.Tests.Features.Ingest.Webhooks;

/// <summary>A push that races a claim or decision on the same change is read again and applied, not lost.</summary>
public sealed class ChangeIngestorConcurrencyTests(QuietPortalFixture fixture) : IClassFixture<QuietPortalFixture>
{
    private static ScmChangeSnapshot Snapshot(string head) =>
        new(7, "Cache exchange rates", null, null, "rates-agent[bot]", "agent/rates-cache", "main", head, "base0000", [], "open");

    [Fact]
    public async Task A_new_revision_racing_a_claim_is_ingested_on_a_fresh_read_and_keeps_the_claim()
    {
        var services = fixture.Factory.Services;
        var repository = (await services.GetRequiredService<RepositoryRegistry>().RegisterAsync(new RegisterRepositoryRequest(
            ScmProvider.GitHub, $"acme/rates-{Guid.NewGuid():N}", null, "http://127.0.0.1:9/", "ghp_unused", null))).Repository;
        var ingestor = services.GetRequiredService<ChangeIngestor>();
        var dbFactory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        IReadOnlyList<IncomingFile> FirstFiles() => [new IncomingFile("src/Rates/Cache.cs", "class Cache {}\n", "class Cache { int ttl = 60; }\n")];
        var id = await ingestor.IngestAsync(repository, ChangeOrigin.GitHub, Snapshot("head0001"), fetchRevision: true, _ => Task.FromResult(FirstFiles()), CancellationToken.None);

        var fetches = 0;
        var secondId = await ingestor.IngestAsync(repository, ChangeOrigin.GitHub, Snapshot("head0002"), fetchRevision: true, async ct =>
        {
            fetches++;
            if (fetches == 1)
            {
                // Between the ingest's read of the change and its save, a reviewer claims it (the change row's xmin moves).
                await using var other = await dbFactory.CreateDbContextAsync(ct);
                var change = await other.Changes.SingleAsync(c => c.Id == id, ct);
                change.AssignedToId = "reviewer-1";
                change.AssignedToName = "Riley Reviewer";
                change.AssignedAt = DateTimeOffset.UtcNow;
                await other.SaveChangesAsync(ct);
            }

            return [new IncomingFile("src/Rates/Cache.cs", "class Cache {}\n", "class Cache { int ttl = 120; }\n")];
        }, CancellationToken.None);

        Assert.Equal(id, secondId);
        Assert.Equal(1, fetches);
        await using var db = await dbFactory.CreateDbContextAsync();
        var stored = await db.Changes.AsNoTracking().Include(c => c.Revisions).SingleAsync(c => c.Id == id);
        Assert.Equal((2, "head0002", "Riley Reviewer"), (stored.RevisionCount, stored.HeadSha, stored.AssignedToName));
        Assert.Equal([1, 2], stored.Revisions.Select(r => r.Number).Order());
    }
}
