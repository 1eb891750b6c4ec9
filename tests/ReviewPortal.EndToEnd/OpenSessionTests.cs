using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;

namespace ReviewPortal.EndToEnd;

/// <summary>
/// An open page follows its person's account: a role an admin takes away, the person's sessions an admin ends, groups
/// changed at the identity provider and a person the provider no longer knows all reach a page that is already open
/// (the fixture revalidates and re-reads every second; each test waits for what it expects, never for a time).
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
[Trait("Category", "SingleSignOn")]
public sealed class OpenSessionTests(PortalBrowserFixture fixture) : ConsoleCheckedTest(fixture.Console)
{
    /// <summary>A security reviewer of this test's own, so taking their role away touches no other test.</summary>
    private async Task<PortalUser> NewSecurityReviewerAsync(string name)
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = $"{name}@e2e.test", Email = $"{name}@e2e.test", EmailConfirmed = true, DisplayName = name };
        AssertSucceeded(await users.CreateAsync(user, DemoLogin.Password));
        AssertSucceeded(await users.AddToRolesAsync(user, [PortalRoles.Reviewer, PortalRoles.SecurityReviewer]));
        return user;
    }

    /// <summary>An admin, in a browser of their own, presses the people page's button named <paramref name="button"/>.</summary>
    private async Task AsAdminAsync(string button)
    {
        var admin = await fixture.SignInAsync(DemoLogin.Admin);
        await admin.GotoAsync("/admin/people");
        await PortalBrowserFixture.WaitInteractiveAsync(admin, "people-page");
        await admin.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("people-message")).ToContainTextAsync("by ");
        await admin.Context.CloseAsync();
    }

    private static void AssertSucceeded(IdentityResult result) => Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));

    [Fact]
    public async Task A_security_role_taken_away_takes_the_security_queue_away_from_the_open_page()
    {
        var user = await NewSecurityReviewerAsync("revoked-security");
        var page = await fixture.SignInAsync(user.UserName!);
        await page.GotoAsync("/queue/security");
        await PortalBrowserFixture.WaitInteractiveAsync(page, "queue-page");
        var securityLink = page.GetByTestId("main-nav").GetByRole(AriaRole.Link, new() { Name = "Security queue" });
        await Assertions.Expect(securityLink).ToBeVisibleAsync();

        await AsAdminAsync($"Revoke {PortalRoles.SecurityReviewer} from {user.DisplayName}");

        // The reviewer's page is not reloaded: the circuit learns of the role on its own and redraws.
        await Assertions.Expect(page.GetByTestId("queue-access-denied")).ToBeVisibleAsync();
        await Assertions.Expect(securityLink).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("main-nav").GetByRole(AriaRole.Link, new() { Name = "My queue" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Ending_a_persons_sessions_signs_their_open_page_out()
    {
        var user = await NewSecurityReviewerAsync("ended-sessions");
        var page = await fixture.SignInAsync(user.UserName!);
        await PortalBrowserFixture.WaitInteractiveAsync(page, "queue-page");

        await AsAdminAsync($"End every session of {user.DisplayName}");

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Account/Login");
        // The cookie is no longer good either: asking for a page again lands on the sign-in form.
        await page.GotoAsync("/queue/all");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Account/Login");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Leaving_the_security_group_at_the_provider_takes_the_security_queue_away_from_the_open_page()
    {
        // Kim's single sign-on account is hers alone (accounts are keyed on issuer and subject): no other test uses it.
        var page = await fixture.SignInThroughProviderAsync(DemoLogin.SecondSecurityReviewer);
        try
        {
            await page.GotoAsync("/queue/security");
            await PortalBrowserFixture.WaitInteractiveAsync(page, "queue-page");
            var securityLink = page.GetByTestId("main-nav").GetByRole(AriaRole.Link, new() { Name = "Security queue" });
            await Assertions.Expect(securityLink).ToBeVisibleAsync();

            await fixture.IdentityProvider.SetGroupsAsync("u-kim", ["legal"]);

            // The portal reads the groups again through the refresh token and userinfo; the open page follows.
            await Assertions.Expect(page.GetByTestId("queue-access-denied")).ToBeVisibleAsync();
            await Assertions.Expect(securityLink).ToHaveCountAsync(0);
        }
        finally
        {
            await fixture.IdentityProvider.SetGroupsAsync("u-kim", ["security-reviewers", "legal"]);
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_person_the_provider_no_longer_knows_is_signed_out_of_their_open_page()
    {
        // Morgan signs in through the provider in no other test.
        var page = await fixture.SignInThroughProviderAsync(DemoLogin.Manager);

        await fixture.IdentityProvider.RemovePersonAsync("u-morgan");

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Account/Login");
        await using (var scope = fixture.Portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var account = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>()
                .FindByLoginAsync(fixture.IdentityProvider.Issuer.ToString().TrimEnd('/'), "u-morgan");
            Assert.NotNull(account);
            Assert.Contains(db.SecurityEvents, e => e.UserId == account.Id && e.Kind == SecurityEventKind.SessionsEnded);
        }

        await page.Context.CloseAsync();
    }
}
