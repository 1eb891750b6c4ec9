using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
    public async Task Demo_seed_creates_twelve_changes_across_all_four_tiers()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();

        var demo = await db.Changes.Where(c => c.SubmittedBy == "demo-seed").ToListAsync();
        Assert.Equal(12, demo.Count);
        Assert.Equal([1, 2, 3, 4], demo.Select(c => (int)c.Tier).Distinct().Order());
        Assert.Contains(demo, c => c.AgentSessionId is null);
    }
}
