using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;

namespace ReviewPortal.EndToEnd;

/// <summary>Signing in through the development identity provider (oidc-provider on 127.0.0.1) in Chromium.</summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
[Trait("Category", "SingleSignOn")]
public sealed class SingleSignOnTests(PortalBrowserFixture fixture) : ConsoleCheckedTest(fixture.Console)
{
    private static readonly Regex ProviderTitle = new("development identity provider", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));

    private async Task<IPage> AtTheProviderAsync()
    {
        var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByTestId("sso-dev").ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(ProviderTitle);
        return page;
    }

    private static async Task SignInAtTheProviderAsync(IPage page, string email, string password = DemoLogin.Password)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    [Fact]
    public async Task A_reviewer_signs_in_through_the_provider_lands_on_their_queue_and_signs_out_there_too()
    {
        var page = await AtTheProviderAsync();
        await SignInAtTheProviderAsync(page, DemoLogin.Reviewer);

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/queue/mine");
        await PortalBrowserFixture.WaitInteractiveAsync(page, "queue-page");
        await Assertions.Expect(page.GetByTestId("current-user")).ToHaveTextAsync("Riley Reviewer");

        // The account is the provider's identity (issuer, subject), with the role its group maps to.
        await using (var scope = fixture.Portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var account = await users.FindByLoginAsync(fixture.IdentityProvider.Issuer.ToString().TrimEnd('/'), "u-riley");
            Assert.NotNull(account);
            Assert.Equal([PortalRoles.Reviewer], await users.GetRolesAsync(account));
        }

        // Signing out ends the session at the provider as well: the next sign-in there asks for the password again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        // The provider asks once whether to end its session too.
        await Assertions.Expect(page).ToHaveTitleAsync(ProviderTitle);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Account/Login");
        await page.GetByTestId("sso-dev").ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(ProviderTitle);
        await Assertions.Expect(page.GetByLabel("Password")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_security_reviewer_from_the_security_group_lands_on_the_security_queue()
    {
        var page = await AtTheProviderAsync();
        await SignInAtTheProviderAsync(page, DemoLogin.SecurityReviewer);

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/queue/security");
        await PortalBrowserFixture.WaitInteractiveAsync(page, "queue-page");
        await Assertions.Expect(page.GetByTestId("current-user")).ToHaveTextAsync("Sasha Ivanova");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_password_stays_at_the_provider_and_cancelling_there_returns_to_the_portal_signed_out()
    {
        var page = await AtTheProviderAsync();
        await SignInAtTheProviderAsync(page, DemoLogin.Reviewer, "not-the-password");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(ProviderTitle);

        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Account/Login");
        await Assertions.Expect(page.GetByTestId("login-error")).ToHaveTextAsync("The sign-in was cancelled at the identity provider. Nothing was changed.");
        await page.GotoAsync("/queue/mine");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Account/Login");
        await page.Context.CloseAsync();
    }
}
