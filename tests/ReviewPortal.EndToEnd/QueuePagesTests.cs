using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Queue;

namespace ReviewPortal.EndToEnd;

[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class QueuePagesTests(PortalBrowserFixture fixture) : ConsoleCheckedTest(fixture.Console)
{
    private static Regex Address(string pattern) => new(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));

    private static ILocator Rows(IPage page) => QueueControls.Rows(page);

    private static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await PortalBrowserFixture.WaitInteractiveAsync(page, "queue-page");
        await Assertions.Expect(page.GetByTestId("queue-total")).Not.ToHaveTextAsync("Loading…");
    }

    private async Task<(long Id, string Title)> ChangeAsync(string branch)
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var change = await db.Changes.AsNoTracking().SingleAsync(c => c.SourceBranch == branch);
        return (change.Id, change.Title);
    }

    [Fact]
    public async Task My_queue_is_the_landing_page_and_shows_only_tiers_1_to_3_that_are_mine_or_unassigned()
    {
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);

        Assert.Equal("/queue/mine", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My queue", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(Rows(page).First).ToBeVisibleAsync();
        var tiers = await page.Locator("[data-testid=queue-grid] [data-testid=tier-badge]").AllTextContentsAsync();
        Assert.NotEmpty(tiers);
        Assert.DoesNotContain(tiers, t => t.StartsWith("Tier 4", StringComparison.Ordinal));
        var assignees = await page.Locator("[data-testid=queue-grid] [data-testid=assignee]").AllTextContentsAsync();
        Assert.All(assignees, a => Assert.True(a is "You" or "Unassigned", $"My queue showed a change held by {a}"));
        await Assertions.Expect(page.Locator("[data-testid=queue-grid] [data-testid=sla-badge]").First).ToContainTextAsync(new Regex(" of (?:24|8|4) h", RegexOptions.None, TimeSpan.FromSeconds(1)));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Security queue" })).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "my-queue");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_security_reviewer_has_the_security_queue_with_the_tier_4_changes()
    {
        var page = await fixture.SignInAsync(DemoLogin.SecurityReviewer);
        Assert.Equal("/queue/security", new Uri(page.Url).AbsolutePath);

        await page.GetByRole(AriaRole.Link, new() { Name = "All changes" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Address("/queue/all$"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Security queue" }).ClickAsync();
        await PortalBrowserFixture.WaitInteractiveAsync(page, "queue-page");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Security queue", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=queue-grid] [data-testid=tier-badge]")).ToHaveTextAsync(["Tier 4 · Critical", "Tier 4 · Critical"]);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Rotate JWT signing keys and detect refresh-token reuse" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "security-queue");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task A_plain_reviewer_neither_sees_nor_opens_a_tier_4_change()
    {
        var (id, title) = await ChangeAsync("agent/jwt-key-rotation");
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);

        await OpenAsync(page, "/queue/all?pageSize=100");
        await Assertions.Expect(page.GetByTestId("queue-total")).ToHaveTextAsync(new Regex(@"^\d+ changes$", RegexOptions.None, TimeSpan.FromSeconds(1)));
        Assert.DoesNotContain(await page.Locator("[data-testid=queue-grid] [data-testid=tier-badge]").AllTextContentsAsync(), t => t.StartsWith("Tier 4", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByText(title)).ToHaveCountAsync(0);

        await page.GotoAsync($"/changes/{id}");
        await Assertions.Expect(page.GetByTestId("change-not-found")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Change not found" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(title)).ToHaveCountAsync(0);
        Assert.DoesNotContain("sess_7f3a9c21e4", await page.ContentAsync(), StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GotoAsync("/queue/security");
        await Assertions.Expect(page.GetByTestId("queue-access-denied")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_filter_lives_in_the_address_and_the_back_button_undoes_it()
    {
        var page = await fixture.SignInAsync(DemoLogin.SecurityReviewer);
        await OpenAsync(page, "/queue/all");
        var unfiltered = await page.GetByTestId("queue-total").TextContentAsync();

        await QueueControls.ChooseAsync(page, "Tier", "Tier 1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Address(@"/queue/all\?tier=1$"));
        await Assertions.Expect(page.GetByTestId("queue-total")).Not.ToHaveTextAsync(unfiltered!);
        // The grid redraws with the filtered rows: wait until no row of another tier is left, then look at them.
        var badges = page.Locator("[data-testid=queue-grid] [data-testid=tier-badge]");
        await Assertions.Expect(badges.Filter(new() { HasNotTextRegex = new System.Text.RegularExpressions.Regex("^Tier 1", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)) })).ToHaveCountAsync(0);
        var tiers = await badges.AllTextContentsAsync();
        Assert.NotEmpty(tiers);
        Assert.All(tiers, t => Assert.StartsWith("Tier 1", t, StringComparison.Ordinal));
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // A link to the filtered view opens it as it was.
        await page.ReloadAsync();
        await PortalBrowserFixture.WaitInteractiveAsync(page, "queue-page");
        await Assertions.Expect(page.GetByLabel("Tier", new() { Exact = true })).ToHaveValueAsync("Tier 1");
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(tiers.Count);

        await page.EvaluateAsync("() => history.back()");
        await Assertions.Expect(page).ToHaveURLAsync(Address("/queue/all$"));
        await Assertions.Expect(page.GetByTestId("queue-total")).ToHaveTextAsync(unfiltered!);
        await Assertions.Expect(page.GetByLabel("Tier", new() { Exact = true })).ToHaveValueAsync("All tiers");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Search_finds_a_change_by_branch_and_an_empty_result_says_what_to_do()
    {
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);
        await OpenAsync(page, "/queue/all");

        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("oauth-state");
        await page.GetByLabel("Search", new() { Exact = true }).PressAsync("Enter");
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(1);
        await Assertions.Expect(Rows(page).First).ToContainTextAsync("Validate OAuth state on the GitHub login callback");

        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("no change is called this");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("queue-empty")).ToContainTextAsync("No change matches these filters.");
        await page.GetByTestId("queue-empty").GetByRole(AriaRole.Link, new() { Name = "Clear the filters" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Address("/queue/all$"));
        await Assertions.Expect(Rows(page).First).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Filter_values_the_address_gets_wrong_are_shown_and_ignored()
    {
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);

        await OpenAsync(page, "/queue/all?tier=9&sort=colour");

        await Assertions.Expect(page.GetByTestId("filter-errors")).ToContainTextAsync("tier must be a whole number from 1 to 4.");
        await Assertions.Expect(page.GetByTestId("filter-errors")).ToContainTextAsync("sort must be one of");
        await Assertions.Expect(Rows(page).First).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Paging_is_kept_in_the_address()
    {
        var page = await fixture.SignInAsync(DemoLogin.SecurityReviewer);
        await OpenAsync(page, "/queue/all?sort=id");
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(10);
        var firstOnPageOne = await Rows(page).First.Locator("td").First.TextContentAsync();

        await page.GetByTestId("queue-pager").GetByRole(AriaRole.Button, new() { Name = "2", Exact = true }).Or(page.GetByTestId("queue-pager").Locator("button", new() { HasTextRegex = new Regex("^2$", RegexOptions.None, TimeSpan.FromSeconds(1)) })).First.ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(Address("[?&]page=2"));
        await Assertions.Expect(Rows(page).First.Locator("td").First).Not.ToHaveTextAsync(firstOnPageOne!);
        var firstOnPageTwo = await Rows(page).First.Locator("td").First.TextContentAsync();
        await page.ReloadAsync();
        await PortalBrowserFixture.WaitInteractiveAsync(page, "queue-page");
        await Assertions.Expect(Rows(page).First.Locator("td").First).ToHaveTextAsync(firstOnPageTwo!);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_reviewer_claims_a_change_from_the_queue_and_releases_it()
    {
        var page = await fixture.SignInAsync(DemoLogin.SecondReviewer);
        await OpenAsync(page, "/queue/mine?q=liveness");
        var row = Rows(page).Filter(new() { HasText = "Fix the liveness probe path in the deployment" });
        await Assertions.Expect(row.GetByTestId("assignee")).ToHaveTextAsync("Unassigned");

        await row.GetByRole(AriaRole.Button, new() { Name = "Claim change" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("claim-message")).ToHaveTextAsync("You have this change.");
        await Assertions.Expect(row.GetByTestId("assignee")).ToHaveTextAsync("You");

        // Someone else now sees who has it, and cannot claim it.
        var other = await fixture.SignInAsync(DemoLogin.Reviewer);
        await OpenAsync(other, "/queue/all?q=liveness");
        var theirRow = Rows(other).Filter(new() { HasText = "Fix the liveness probe path in the deployment" });
        await Assertions.Expect(theirRow.GetByTestId("assignee")).ToHaveTextAsync("Sam Okafor");
        await Assertions.Expect(theirRow.GetByRole(AriaRole.Button, new() { Name = "Claim change" })).ToHaveCountAsync(0);
        await OpenAsync(other, "/queue/mine?q=liveness");
        await Assertions.Expect(other.GetByTestId("queue-empty")).ToBeVisibleAsync();
        await other.Context.CloseAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = "Release change" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("claim-message")).ToHaveTextAsync("Released: the change is back in the queue.");
        await Assertions.Expect(row.GetByTestId("assignee")).ToHaveTextAsync("Unassigned");
        await page.Context.CloseAsync();
    }

    /// <summary>Releases the change through the portal's own claim service if anyone holds it (a test before may have).</summary>
    private async Task EnsureUnassignedAsync(long id)
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var holder = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.AsNoTracking()
            .Where(c => c.Id == id).Select(c => c.AssignedToId).SingleAsync();
        if (holder is null)
        {
            return;
        }

        var asHolder = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, holder)], "test"));
        var outcome = await fixture.Portal.Services.GetRequiredService<ClaimService>().ReleaseAsync(id, asHolder);
        Assert.True(outcome.Succeeded, outcome.Message);
    }

    [Fact]
    public async Task Filters_and_claim_buttons_are_reachable_by_keyboard()
    {
        // Its own change, unassigned whatever ran before; a released change is not handed straight back by the
        // automatic assignment (once per tier).
        var (id, title) = await ChangeAsync("agent/money-formatter");
        await EnsureUnassignedAsync(id);
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);
        await OpenAsync(page, "/queue/all?q=money");
        var row = QueueControls.Row(page, title);
        await Assertions.Expect(Rows(page).First).ToContainTextAsync(title);

        await page.GetByLabel("Search", new() { Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("filter-repository", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        var claim = row.GetByRole(AriaRole.Button, new() { Name = $"Claim change {id}:" });
        await claim.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("claim-message")).ToHaveTextAsync("You have this change.");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Release change {id}:" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(row.GetByTestId("assignee")).ToHaveTextAsync("Unassigned");
        await page.Context.CloseAsync();
    }
}
