using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Tests.Infrastructure.Security;

namespace ReviewPortal.Web.Tests.Features.Account;

/// <summary>A portal with single sign-on and a break-glass administrator, on Kestrel so that remote addresses are real.</summary>
public sealed class BreakGlassFixture : IAsyncLifetime
{
    public const string LocalReviewer = "local.reviewer@portal.test";
    public const string LocalReviewerPassword = "Local-Passw0rd!";

    public PortalFactory Factory { get; private set; } = default!;

    public Uri BaseAddress { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Factory = await PortalFactory.CreateAsync("breakglass", settings: HardeningSettingsFor.WithSingleSignOn());
        BaseAddress = Factory.StartOnKestrel();
        await using var scope = Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        // A local account from before single sign-on was configured, with a password that would be right.
        var reviewer = new PortalUser { UserName = LocalReviewer, Email = LocalReviewer, EmailConfirmed = true, DisplayName = "Local Reviewer" };
        Assert.True((await users.CreateAsync(reviewer, LocalReviewerPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(reviewer, PortalRoles.Reviewer)).Succeeded);
    }

    public HttpClient NewBrowser() => new(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = BaseAddress };

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

public sealed class BreakGlassSignInTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    private async Task<SecurityEvent> LatestEventAsync(string userName)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.SecurityEvents.AsNoTracking().Where(e => e.UserName == userName).OrderByDescending(e => e.Id).FirstAsync();
    }

    private static void AssertRecordedJustNow(SecurityEvent recorded)
    {
        Assert.Equal("127.0.0.1", recorded.RemoteAddress);
        Assert.InRange(recorded.At, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(5));
    }

    [Fact]
    public async Task Under_single_sign_on_the_sign_in_page_shows_the_providers_and_a_discreet_break_glass_link_but_no_password_form()
    {
        using var browser = fixture.NewBrowser();

        var page = await browser.GetStringAsync("/Account/Login");

        Assert.Contains("data-testid=\"sso-corp\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"break-glass-link\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("login-password", page, StringComparison.Ordinal);
        var breakGlass = await browser.GetStringAsync(HardeningSettingsFor.BreakGlassLoginPath);
        Assert.Contains("login-password", breakGlass, StringComparison.Ordinal);
        Assert.Contains("Every attempt is recorded", breakGlass, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_break_glass_administrator_signs_in_with_the_password_and_admins_see_the_record()
    {
        using var browser = fixture.NewBrowser();

        using var response = await FormSignIn.PostAsync(browser, HardeningSettingsFor.BreakGlassUser, HardeningSettingsFor.BreakGlassPassword, HardeningSettingsFor.BreakGlassLoginPath);

        Assert.True(await FormSignIn.IsSignedInAsync(browser));
        var recorded = await LatestEventAsync(HardeningSettingsFor.BreakGlassUser);
        Assert.Equal(SecurityEventKind.BreakGlassSignIn, recorded.Kind);
        Assert.NotNull(recorded.UserId);
        AssertRecordedJustNow(recorded);
        var adminPage = await browser.GetStringAsync("/admin/security-events");
        Assert.Contains("Break-glass sign-in", adminPage, StringComparison.Ordinal);
        Assert.Contains(HardeningSettingsFor.BreakGlassUser, adminPage, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", adminPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_break_glass_sign_in_is_recorded_too()
    {
        using var browser = fixture.NewBrowser();

        using var response = await FormSignIn.PostAsync(browser, HardeningSettingsFor.BreakGlassUser, "not-the-password", HardeningSettingsFor.BreakGlassLoginPath);

        Assert.Contains("Wrong email or password.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await FormSignIn.IsSignedInAsync(browser));
        var recorded = await LatestEventAsync(HardeningSettingsFor.BreakGlassUser);
        Assert.Equal(SecurityEventKind.BreakGlassSignInFailed, recorded.Kind);
        Assert.Equal("wrong user name or password", recorded.Detail);
        AssertRecordedJustNow(recorded);
    }

    [Fact]
    public async Task Another_local_account_is_refused_under_single_sign_on_even_with_its_right_password()
    {
        using var browser = fixture.NewBrowser();

        using var response = await FormSignIn.PostAsync(browser, BreakGlassFixture.LocalReviewer, BreakGlassFixture.LocalReviewerPassword, HardeningSettingsFor.BreakGlassLoginPath);

        Assert.Contains("Password sign-in is off here: sign in with your company account", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await FormSignIn.IsSignedInAsync(browser));
        var recorded = await LatestEventAsync(BreakGlassFixture.LocalReviewer);
        Assert.Equal(SecurityEventKind.PasswordSignInRefused, recorded.Kind);
        AssertRecordedJustNow(recorded);
    }
}
