using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ReviewPortal.Testing;
using ReviewPortal.Web.Components.Layout;
using ReviewPortal.Web.Data;

namespace ReviewPortal.EndToEnd;

/// <summary>axe-core on every page of the portal, in the light and in the dark scheme, as the role that uses it.</summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
[Trait("Category", "Accessibility")]
public sealed class AccessibilityTests(PortalBrowserFixture fixture) : ConsoleCheckedTest(fixture.Console)
{
    public static TheoryData<ColourScheme> Schemes => new() { ColourScheme.Light, ColourScheme.Dark };

    private async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    private async Task SetSchemeAsync(string email, ColourScheme scheme)
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByNameAsync(email) ?? throw new InvalidOperationException(email);
        await scope.ServiceProvider.GetRequiredService<ThemePreferences>().SetSchemeAsync(user.Id, scheme);
    }

    /// <summary>Signs <paramref name="email"/> in with <paramref name="scheme"/> chosen, checks each page, and puts the choice back.</summary>
    private async Task CheckPagesAsync(string email, ColourScheme scheme, params string[] paths)
    {
        await SetSchemeAsync(email, scheme);
        try
        {
            var page = await fixture.SignInAsync(email);
            foreach (var path in paths)
            {
                var response = await page.GotoAsync(path);
                Assert.Contains("script-src 'self'", (await response!.HeaderValueAsync("content-security-policy")) ?? "", StringComparison.Ordinal);
                // Pages with data wait for their circuit; the not-found pages have nothing to load.
                await page.Locator("[data-interactive=true], [data-testid=not-found], [data-testid=change-not-found]").First.WaitForAsync();
                await Assertions.Expect(page.GetByTestId("theme-toggle")).ToHaveAttributeAsync("data-scheme", scheme == ColourScheme.Dark ? "dark" : "light");
                await Accessibility.AssertNoSeriousViolationsAsync(page);
                await Accessibility.AssertAppBarTextReadableAsync(page);
                if (ReadmeShots.TryGetValue((scheme, path), out var shot))
                {
                    await Screenshots.SaveAsync(page, shot);
                }
            }

            await page.Context.CloseAsync();
        }
        finally
        {
            await SetSchemeAsync(email, ColourScheme.System);
        }
    }

    private static readonly Dictionary<(ColourScheme, string), string> ReadmeShots = new()
    {
        // The demo repository only: the README shows the demo, not the changes other end-to-end tests add.
        [(ColourScheme.Dark, DemoQueue)] = "my-queue-dark",
        [(ColourScheme.Light, "/admin")] = "admin-overview",
    };

    private const string DemoQueue = "/queue/mine?repository=acme%2Fpayments-service";

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task A_reviewers_pages_have_no_serious_violations(ColourScheme scheme)
    {
        var change = await WithDbAsync(db => db.Changes.Where(c => c.SourceBranch == "agent/money-formatter").Select(c => c.Id).SingleAsync());
        BrowserConsole.Allow("status of 404");
        await CheckPagesAsync(DemoLogin.Reviewer, scheme, "/queue/mine", DemoQueue, "/queue/all?q=zzz-nothing-matches", $"/changes/{Id(change)}", "/changes/999999", "/no-such-page");
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task A_security_reviewers_pages_have_no_serious_violations(ColourScheme scheme)
    {
        var change = await WithDbAsync(db => db.Changes.Where(c => c.SourceBranch == "agent/jwt-key-rotation").Select(c => c.Id).SingleAsync());
        await CheckPagesAsync(DemoLogin.SecurityReviewer, scheme, "/queue/security", $"/changes/{Id(change)}");
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task An_admins_pages_have_no_serious_violations(ColourScheme scheme)
    {
        var client = await WithDbAsync(db => db.ApiClients.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync());
        await CheckPagesAsync(DemoLogin.Admin, scheme, "/admin", "/admin/repositories", "/admin/risk-rules", "/admin/api-clients", $"/admin/api-clients/{Id(client)}", "/admin/webhook-deliveries", "/admin/security-events");
    }

    [Fact]
    public async Task The_sign_in_and_access_denied_pages_have_no_serious_violations()
    {
        var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await context.CloseAsync();

        foreach (var scheme in new[] { ColourScheme.Light, ColourScheme.Dark })
        {
            await SetSchemeAsync(DemoLogin.Manager, scheme);
            try
            {
                var signedIn = await fixture.SignInAsync(DemoLogin.Manager);
                await signedIn.GotoAsync("/Account/AccessDenied");
                await Accessibility.AssertNoSeriousViolationsAsync(signedIn);
                await signedIn.Context.CloseAsync();
            }
            finally
            {
                await SetSchemeAsync(DemoLogin.Manager, ColourScheme.System);
            }
        }
    }

    [Fact]
    public async Task The_scheme_a_person_picks_is_kept_on_their_account()
    {
        var page = await fixture.SignInAsync(DemoLogin.SecondSecurityReviewer);
        try
        {
            var toggle = page.GetByTestId("theme-toggle");
            var before = await toggle.GetAttributeAsync("data-scheme");
            var after = before == "dark" ? "light" : "dark";
            await toggle.ClickAsync();
            await Assertions.Expect(toggle).ToHaveAttributeAsync("data-scheme", after);
            await page.Context.CloseAsync();

            // Another browser, signed in afresh: the same scheme.
            var elsewhere = await fixture.SignInAsync(DemoLogin.SecondSecurityReviewer);
            await Assertions.Expect(elsewhere.GetByTestId("theme-toggle")).ToHaveAttributeAsync("data-scheme", after);
            await elsewhere.Context.CloseAsync();
        }
        finally
        {
            await SetSchemeAsync(DemoLogin.SecondSecurityReviewer, ColourScheme.System);
        }
    }
}
