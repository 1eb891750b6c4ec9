using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;

namespace ReviewPortal.Web.Tests.Features.Admin;

/// <summary>The configured client across a key rotation; when a client was last used.</summary>
public sealed class ApiClientRegistryTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task A_new_configured_key_keeps_the_clients_row_grants_and_last_use_and_only_the_new_key_works()
    {
        var registry = fixture.Factory.Services.GetRequiredService<ApiClientRegistry>();
        var repository = await fixture.Factory.Services.GetRequiredService<RepositoryRegistry>()
            .RegisterAsync(new RegisterRepositoryRequest(ScmProvider.GitHub, $"acme/rotation-{Guid.NewGuid():N}", null, null, null, null));
        await registry.EnsureAsync("rotating-ci", "rotating-key-one-0123456789");
        var first = await registry.AuthenticateAsync("rotating-key-one-0123456789", CancellationToken.None);
        Assert.NotNull(first);
        Assert.Equal(GrantOutcome.Granted, await registry.GrantAsync(first.Id, repository.Repository.Id, "test admin"));
        Assert.True(await registry.RevokeAsync(first.Id));

        await registry.EnsureAsync("rotating-ci", "rotating-key-two-0123456789");

        var second = await registry.AuthenticateAsync("rotating-key-two-0123456789", CancellationToken.None);
        Assert.Equal(first.Id, second?.Id);
        Assert.Null(await registry.AuthenticateAsync("rotating-key-one-0123456789", CancellationToken.None));
        Assert.Equal([repository.Repository.Id], (await registry.GrantsOfAsync(first.Id)).Select(g => g.RepositoryId));
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().ApiClients.AsNoTracking().SingleAsync(c => c.Name == "rotating-ci");
        Assert.Equal((first.Id, (DateTimeOffset?)null), (stored.Id, stored.RevokedAt));
        Assert.NotNull(stored.LastUsedAt);
    }

    [Fact]
    public async Task Last_use_is_written_at_most_once_a_minute_on_the_registrys_own_clock()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
        // A registry of its own, on a clock the test moves: the rule is about the registry's time, not the machine's.
        var registry = ActivatorUtilities.CreateInstance<ApiClientRegistry>(fixture.Factory.Services, clock);
        var created = await registry.CreateAsync($"clocked-agent-{Guid.NewGuid():N}", "test admin");

        Assert.NotNull(await registry.AuthenticateAsync(created.Key, CancellationToken.None));
        Assert.Equal(clock.Now, await LastUsedAsync(created.Client.Id));
        var first = clock.Now;

        clock.Now += ApiClientRegistry.LastUsedResolution - TimeSpan.FromSeconds(1);
        Assert.NotNull(await registry.AuthenticateAsync(created.Key, CancellationToken.None));
        Assert.Equal(first, await LastUsedAsync(created.Client.Id));

        clock.Now += TimeSpan.FromSeconds(2);
        Assert.NotNull(await registry.AuthenticateAsync(created.Key, CancellationToken.None));
        Assert.Equal(clock.Now, await LastUsedAsync(created.Client.Id));
    }

    private async Task<DateTimeOffset?> LastUsedAsync(long clientId)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<PortalDbContext>().ApiClients.AsNoTracking().SingleAsync(c => c.Id == clientId)).LastUsedAt;
    }
}
