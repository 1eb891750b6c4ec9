using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Testing;

namespace ReviewPortal.Web.Tests.Infrastructure.Security;

/// <summary>Idle and absolute session lifetimes (idle one hour, absolute two), on a clock the test moves.</summary>
public sealed class SessionLifetimeTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private PortalFactory _factory = default!;
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _portal = default!;

    public async Task InitializeAsync()
    {
        _factory = await PortalFactory.CreateAsync("sessions", settings: HardeningSettingsFor.BreakGlass()
            .With("Session:IdleTimeout", "01:00:00").With("Session:AbsoluteLifetime", "02:00:00"));
        _portal = _factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_clock)));
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _factory.DisposeAsync();
    }

    private async Task<HttpClient> SignedInAsync()
    {
        var client = _portal.CreateClient();
        await FormSignIn.SignInAsync(client, HardeningSettingsFor.BreakGlassUser, HardeningSettingsFor.BreakGlassPassword);
        return client;
    }

    [Fact]
    public async Task A_busy_session_ends_at_its_absolute_lifetime_although_each_use_slid_its_idle_expiry()
    {
        using var client = await SignedInAsync();

        // Every 40 minutes: past half the idle timeout, so each request renews the cookie.
        for (var step = 1; step <= 2; step++)
        {
            _clock.Now += TimeSpan.FromMinutes(40);
            Assert.True(await FormSignIn.IsSignedInAsync(client), $"signed out after {step * 40} minutes");
        }

        _clock.Now += TimeSpan.FromMinutes(41);

        Assert.False(await FormSignIn.IsSignedInAsync(client));
    }

    [Fact]
    public async Task A_session_unused_for_its_idle_timeout_ends()
    {
        using var client = await SignedInAsync();

        _clock.Now += TimeSpan.FromMinutes(61);

        Assert.False(await FormSignIn.IsSignedInAsync(client));
    }

    [Fact]
    public async Task Signing_in_again_starts_a_new_session()
    {
        using var first = await SignedInAsync();
        _clock.Now += TimeSpan.FromMinutes(50);
        Assert.True(await FormSignIn.IsSignedInAsync(first));
        _clock.Now += TimeSpan.FromMinutes(50);
        Assert.True(await FormSignIn.IsSignedInAsync(first));
        using var second = await SignedInAsync();

        _clock.Now += TimeSpan.FromMinutes(50);

        // 150 minutes after the first sign-in (50 after its last use), 50 after the second.
        Assert.False(await FormSignIn.IsSignedInAsync(first));
        Assert.True(await FormSignIn.IsSignedInAsync(second));
    }
}
