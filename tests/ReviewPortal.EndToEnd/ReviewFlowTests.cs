using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ReviewPortal.Testing;

namespace ReviewPortal.EndToEnd;

[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ReviewFlowTests(PortalBrowserFixture fixture) : ConsoleCheckedTest(fixture.Console)
{
    private static async Task OpenChangeAsync(IPage page, string title)
    {
        // Through the search of All changes: My queue holds only what is unassigned or the reviewer's own.
        await page.GotoAsync($"/queue/all?q={Uri.EscapeDataString(title)}");
        await PortalBrowserFixture.WaitInteractiveAsync(page, "queue-page");
        await page.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
        await PortalBrowserFixture.WaitInteractiveAsync(page, "review-page");
        await Assertions.Expect(page.GetByTestId("change-title")).ToHaveTextAsync(title);
    }

    [Fact]
    public async Task A_reviewer_opens_a_change_sees_provenance_and_the_side_by_side_diff_approves_and_sees_it_recorded()
    {
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);
        await page.GetByRole(AriaRole.Link, new() { Name = "All changes" }).ClickAsync();
        await PortalBrowserFixture.WaitInteractiveAsync(page, "queue-page");
        await Assertions.Expect(QueueControls.Rows(page)).ToHaveCountAsync(10);
        await Assertions.Expect(page.GetByTestId("queue-total")).ToContainTextAsync("changes");
        await Screenshots.SaveAsync(page, "queue");

        await OpenChangeAsync(page, "Replace N+1 queries in the invoice listing");

        await Assertions.Expect(page.GetByTestId("model-version")).ToHaveTextAsync("claude-sonnet-4.5-20260915");
        await Assertions.Expect(page.GetByTestId("session-id")).ToHaveTextAsync("sess_e1e2e3e4e5");
        await Assertions.Expect(page.GetByTestId("prompt")).ToContainTextAsync("one query per invoice");
        var diff = page.GetByTestId("side-by-side-diff");
        await Assertions.Expect(diff).ToBeVisibleAsync();
        await Assertions.Expect(diff.Locator("td[data-side=old]:is(.del, .mod)", new() { HasText = "var invoices" })).ToBeVisibleAsync();
        await Assertions.Expect(diff.Locator("td[data-side=new] mark.word").First).ToBeVisibleAsync();
        await Assertions.Expect(diff.Locator("td[data-side=new]", new() { HasText = "SqlQuery<InvoiceRow>" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("risk-breakdown")).ToContainTextAsync("sql-queries");
        // Evidence reads "path:line + the line", not "path:line+ the line": the separator must survive Razor's whitespace trimming.
        await Assertions.Expect(page.GetByTestId("risk-breakdown").Locator(".evidence li").First).ToHaveTextAsync(new Regex(@"^\S+\.cs:\d+ [+-] \S", RegexOptions.None, TimeSpan.FromSeconds(1)));
        await Assertions.Expect(page.GetByTestId("risk-thresholds")).ToContainTextAsync("Tier 4 from 70, tier 3 from 40, tier 2 from 20.");
        await Screenshots.SaveAsync(page, "review");
        await Screenshots.SaveAsync(page, "review-diff", scrolledTo: diff);

        // An approval asks first, naming the commit; Escape (or Cancel) leaves the change as it was.
        await page.GetByTestId("approve-button").ClickAsync();
        var confirmation = page.GetByTestId("approval-confirmation");
        await Assertions.Expect(confirmation).ToBeVisibleAsync();
        var commit = await page.GetByTestId("approval-commit").TextContentAsync();
        Assert.Matches("^[0-9a-f]{7}$", commit);
        // The dialog puts the focus on Cancel once it is up and listening for keys; an Escape sent before that is lost.
        await Assertions.Expect(page.GetByTestId("approval-cancel")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(confirmation).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(".review-header [data-testid=state-badge]")).ToHaveTextAsync("Pending");

        await page.GetByTestId("approve-button").ClickAsync();
        await page.GetByTestId("approval-confirm").ClickAsync();

        await Assertions.Expect(page.GetByTestId("decision-message")).ToHaveTextAsync($"You approved {commit}. The change is approved.");
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"You approved {commit}. The change is approved.");
        await Assertions.Expect(page.Locator(".review-header [data-testid=state-badge]")).ToHaveTextAsync("Approved");
        await Assertions.Expect(page.GetByTestId("policy-satisfied")).ToHaveTextAsync($"Satisfied: approved by Riley Reviewer on {commit}.");
        await Assertions.Expect(page.GetByTestId("decision-timeline")).ToContainTextAsync("Approved by Riley Reviewer");

        await page.GetByRole(AriaRole.Link, new() { Name = "All changes" }).ClickAsync();
        await PortalBrowserFixture.WaitInteractiveAsync(page, "queue-page");
        // Decided changes sort after the open ones, past the first page of the demo queue: the state filter brings
        // the approved changes onto the first page.
        await QueueControls.ChooseAsync(page, "State", "Approved");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        var row = QueueControls.Row(page, "Replace N+1 queries in the invoice listing");
        await Assertions.Expect(row.GetByTestId("state-badge")).ToHaveTextAsync("Approved");
        await Assertions.Expect(row.GetByTestId("decided-by")).ToHaveTextAsync("by Riley Reviewer");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_and_the_reason_is_recorded()
    {
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);
        await OpenChangeAsync(page, "Cache NuGet packages in CI and add a format check");

        // Rejecting asks for the reason; without one the field says so and nothing is sent.
        await page.GetByTestId("reject-button").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(page.GetByLabel("Reason", new() { Exact = true })).ToBeFocusedAsync();
        await dialog.GetByTestId("reason-confirm").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("Reason is required: say why you reject this commit.");
        await Assertions.Expect(page.Locator(".review-header [data-testid=state-badge]")).ToHaveTextAsync("Pending");
        // Escape leaves it undecided, as Cancel does.
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("decision-message")).ToHaveCountAsync(0);

        await page.GetByTestId("reject-button").ClickAsync();
        await page.GetByLabel("Reason", new() { Exact = true }).FillAsync("The cache key ignores Directory.Packages.props.");
        await dialog.GetByTestId("reason-confirm").ClickAsync();

        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("decision-message")).ToHaveTextAsync(new Regex("^You rejected [0-9a-f]{7}\\.$", RegexOptions.None, TimeSpan.FromSeconds(1)));
        await Assertions.Expect(page.Locator(".review-header [data-testid=state-badge]")).ToHaveTextAsync("Rejected");
        await Assertions.Expect(page.GetByTestId("decision-timeline")).ToContainTextAsync("The cache key ignores Directory.Packages.props.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_prompter_of_a_change_cannot_approve_it()
    {
        var page = await fixture.SignInAsync(DemoLogin.Dana);
        await OpenChangeAsync(page, "Validate OAuth state on the GitHub login callback");

        // The button says so before anyone tries; the server refuses it anyway (DecisionServiceTests).
        var approve = page.GetByTestId("approve-button");
        await Assertions.Expect(approve).ToBeDisabledAsync();
        await Assertions.Expect(approve).ToHaveAccessibleDescriptionAsync("You prompted this change, so you cannot approve it.");
        await Assertions.Expect(page.GetByTestId("reject-button")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator(".review-header [data-testid=state-badge]")).ToHaveTextAsync("Pending");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_password_shows_an_error_and_stays_signed_out()
    {
        var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/Account/Login");

        await page.GetByLabel("Email").FillAsync(DemoLogin.Reviewer);
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong email or password.");
        await page.GotoAsync("/");
        Assert.Equal("/Account/Login", new Uri(page.Url).AbsolutePath);
        await context.CloseAsync();
    }
}
