using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;

namespace ReviewPortal.EndToEnd;

/// <summary>
/// An open page follows its person's account: a role taken away, or the person's sessions ended, reach a page that
/// is already open (the fixture revalidates every second; each test waits for what it expects, never for a time).
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

    private async Task ChangeAccountAsync(string userId, Func<UserManager<PortalUser>, PortalUser, Task<IdentityResult>> change)
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        AssertSucceeded(await change(users, (await users.FindByIdAsync(userId))!));
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

        await ChangeAccountAsync(user.Id, (users, account) => users.RemoveFromRoleAsync(account, PortalRoles.SecurityReviewer));

        // The page is not reloaded: the circuit learns of the role on its own and redraws.
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

        await ChangeAccountAsync(user.Id, (users, account) => users.UpdateSecurityStampAsync(account));

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Account/Login");
        // The cookie is no longer good either: asking for a page again lands on the sign-in form.
        await page.GotoAsync("/queue/all");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Account/Login");
        await page.Context.CloseAsync();
    }
}
