using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Tests.Infrastructure.Notifications;

/// <summary>Two instances of a new deployment starting at the same moment on an empty database.</summary>
public sealed class SimultaneousStartTests
{
    [Fact]
    public async Task Both_start_migrate_once_and_seed_roles_rules_and_the_api_key_once()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("simultaneous");
        await using var first = new PortalFactory(connectionString);
        await using var second = new PortalFactory(connectionString);

        await Task.WhenAll(Task.Run(() => _ = first.Services), Task.Run(() => _ = second.Services));

        await first.WaitUntilListeningAsync();
        await second.WaitUntilListeningAsync();
        await using var scope = first.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(4, await scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>().Roles.CountAsync());
        Assert.Equal(1, await db.RiskRuleSets.CountAsync());
        Assert.Equal(1, await db.ApiClients.CountAsync());
    }
}
