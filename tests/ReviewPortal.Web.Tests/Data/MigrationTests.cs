using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Demo;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Tests.Data;

public sealed class MigrationTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Start_up_applies_every_migration_and_the_model_has_none_pending()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        // A model change without a migration would make this true: add one with dotnet ef migrations add.
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public async Task Concurrency_token_is_postgres_xmin()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();

        var property = db.Model.FindEntityType(typeof(Change))!.FindProperty(nameof(Change.RowVersion))!;
        Assert.True(property.IsConcurrencyToken);
        Assert.Equal("xmin", property.GetColumnName());
    }

    [Fact]
    public async Task Demo_seed_ingests_the_demo_git_repository_branches_across_all_four_tiers()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();

        var repository = await db.Repositories.SingleAsync(r => r.Provider == ScmProvider.LocalGit && r.Name == DemoChanges.RepositoryName);
        var demo = await db.Changes.Where(c => c.RepositoryId == repository.Id).ToListAsync();
        Assert.Equal(DemoChanges.Branches.Select(b => b.Name).Order(), demo.Select(c => c.SourceBranch!).Order());
        // A branch with a follow-up commit was pushed again after its review: a second revision.
        var followedUp = DemoChanges.Branches.Where(b => b.FollowUp is not null).Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(demo, c => Assert.Equal((ChangeOrigin.LocalGit, "main", "open", followedUp.Contains(c.SourceBranch!) ? 2 : 1), (c.Origin, c.TargetBranch, c.ScmState, c.RevisionCount)));
        var agents = demo.Where(c => c.IsAgentAuthored).ToList();
        Assert.Equal(12, agents.Count);
        Assert.Equal([1, 2, 3, 4], agents.Select(c => (int)c.Tier).Distinct().Order());
        Assert.Equal("agent/liveness-probe-path", Assert.Single(agents, c => c.IsUntraced).SourceBranch);
        var human = Assert.Single(demo, c => !c.IsAgentAuthored);
        Assert.Equal("alice@acme.test", human.Author);
        Assert.Equal(demo.Count, demo.Select(c => c.ExternalNumber).Distinct().Count());

        var tokens = Assert.Single(demo, c => c.SourceBranch == "agent/jwt-key-rotation");
        Assert.Equal((RiskTier.Critical, "payments-agent@agents.acme.test", "sess_7f3a9c21e4", "dana@demo.local"), (tokens.Tier, tokens.Author, tokens.AgentSessionId, tokens.Prompter));
        Assert.Contains("kid header", tokens.Prompt, StringComparison.Ordinal);
        // The queue's age counts from the head commit, as the demo history dates it.
        Assert.InRange(DateTimeOffset.UtcNow - tokens.SubmittedAt, TimeSpan.FromHours(1), TimeSpan.FromHours(3));
    }
}
