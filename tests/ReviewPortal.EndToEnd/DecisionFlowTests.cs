using System.Globalization;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;

namespace ReviewPortal.EndToEnd;

/// <summary>The tier policy in the browser, on the demo's changes: four eyes for tier 4, a stale approval, an automatic approval.</summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class DecisionFlowTests(PortalBrowserFixture fixture) : ConsoleCheckedTest(fixture.Console)
{
    private async Task<Change> DemoChangeAsync(string branch)
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.AsNoTracking().SingleAsync(c => c.SourceBranch == branch);
    }

    private static async Task OpenAsync(IPage page, Change change)
    {
        await page.GotoAsync(string.Create(CultureInfo.InvariantCulture, $"/changes/{change.Id}"));
        await PortalBrowserFixture.WaitInteractiveAsync(page, "review-page");
    }

    [Fact]
    public async Task A_tier_4_change_counts_as_approved_only_after_a_second_distinct_security_reviewer_approves()
    {
        var change = await DemoChangeAsync("agent/jwt-key-rotation");
        var commit = change.HeadSha![..7];
        var first = await fixture.SignInAsync(DemoLogin.SecurityReviewer);
        await OpenAsync(first, change);

        await Assertions.Expect(first.GetByTestId("policy-needs-list")).ToHaveTextAsync($"1 more security reviewer approval on {commit}");
        await Assertions.Expect(first.GetByTestId("approve-button")).ToBeDisabledAsync();
        await Assertions.Expect(first.GetByTestId("approve-button")).ToHaveAccessibleDescriptionAsync($"You already approved {commit}; tier 4 needs 2 different security reviewers to approve it.");
        await first.Context.CloseAsync();

        var second = await fixture.SignInAsync(DemoLogin.SecondSecurityReviewer);
        await OpenAsync(second, change);
        await Screenshots.SaveAsync(second, "decision-tier4");
        await second.GetByTestId("approve-button").ClickAsync();
        await Screenshots.SaveAsync(second, "decision-confirm");
        await Assertions.Expect(second.GetByTestId("approval-effect")).ToHaveTextAsync("With your approval the tier policy is satisfied and the change is approved.");
        // Confirmed from the keyboard, as the review page's shortcuts are used.
        await second.GetByTestId("approval-confirm").FocusAsync();
        await second.Keyboard.PressAsync("Enter");

        await Assertions.Expect(second.GetByTestId("decision-message")).ToHaveTextAsync($"You approved {commit}. The change is approved.");
        await Assertions.Expect(second.Locator(".mud-snackbar")).ToContainTextAsync($"You approved {commit}. The change is approved.");
        await Assertions.Expect(second.Locator(".review-header [data-testid=state-badge]")).ToHaveTextAsync("Approved");
        await Assertions.Expect(second.GetByTestId("policy-satisfied")).ToHaveTextAsync($"Satisfied: approved by Sasha Ivanova and Kim Laurent on {commit}.");
        await Assertions.Expect(second.GetByTestId("decision-timeline")).ToContainTextAsync("Approved by Kim Laurent");
        await second.Context.CloseAsync();
    }

    [Fact]
    public async Task An_approval_made_stale_by_a_later_push_is_marked_and_links_to_the_changes_since()
    {
        var change = await DemoChangeAsync("agent/audit-export-paging");
        var page = await fixture.SignInAsync(DemoLogin.SecondReviewer);
        await OpenAsync(page, change);

        var stale = page.GetByTestId("decision-stale");
        await stale.ScrollIntoViewIfNeededAsync();
        await Screenshots.SaveAsync(page, "decision-stale");
        await Assertions.Expect(stale).ToContainTextAsync($"Given on revision 1; the head is now revision 2 ({change.HeadSha![..7]}), so it no longer counts.");
        await Assertions.Expect(page.GetByTestId("policy-needs-list")).ToContainTextAsync($"1 reviewer approval on {change.HeadSha[..7]}");
        await page.GetByTestId("changes-since-decision").ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("revision=2&since=1", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("interdiff-banner")).ToContainTextAsync("Showing what changed from revision 1 to revision 2.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_automatically_approved_change_shows_the_rule_and_offers_the_veto()
    {
        var change = await DemoChangeAsync("agent/webhook-retry-docs");
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);
        await OpenAsync(page, change);

        var automatic = page.Locator("[data-testid=timeline-decision][data-automatic=true]");
        await Assertions.Expect(automatic).ToContainTextAsync("Approved automatically by ReviewPortal (automatic)");
        await Assertions.Expect(automatic.GetByTestId("decision-rule")).ToContainTextAsync("automatic-approval (tier 1)");
        await Assertions.Expect(page.GetByTestId("policy-satisfied")).ToHaveTextAsync($"Satisfied: approved automatically on {change.HeadSha![..7]}.");
        await Assertions.Expect(page.GetByTestId("decision-veto-note")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("request-changes-button")).ToBeEnabledAsync();
        await Assertions.Expect(page.GetByTestId("approve-button")).ToBeDisabledAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_decision_components_the_approval_dialog_and_the_reason_dialog_have_no_serious_accessibility_violation()
    {
        var change = await DemoChangeAsync("agent/orders-archived-at");
        var page = await fixture.SignInAsync(DemoLogin.SecondReviewer);
        await OpenAsync(page, change);

        var regions = new[] { page.GetByTestId("policy-needs"), page.GetByTestId("decision-panel"), page.Locator(".decision-timeline-panel") };
        foreach (var region in regions)
        {
            AssertNoSeriousViolation(await region.RunAxe());
        }

        await page.GetByTestId("approve-button").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByTestId("approval-confirmation")).ToBeVisibleAsync();
        // The dialog takes the focus, on Cancel: a stray Enter after the "a" shortcut does not approve.
        await Assertions.Expect(page.GetByTestId("approval-cancel")).ToBeFocusedAsync();
        AssertNoSeriousViolation(await dialog.RunAxe());
        await page.GetByTestId("approval-cancel").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();

        await page.GetByTestId("request-changes-button").ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("reason-form")).ToBeVisibleAsync();
        await dialog.GetByTestId("reason-confirm").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("Reason is required: say what to change.");
        AssertNoSeriousViolation(await dialog.RunAxe());
        await dialog.GetByTestId("reason-cancel").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(".review-header [data-testid=state-badge]")).ToHaveTextAsync("Pending");
        await page.Context.CloseAsync();
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task A_commit_landing_while_the_approval_dialog_is_open_is_not_approved_and_the_change_waits_for_its_own_approval()
    {
        await using var branch = await LocalBranch.CreateAsync(fixture.Portal.Services, "agent/confirmed-commit");
        var commitA = await branch.CommitAsync("Explain the export limits", ("docs/export.md", "# Export\n\nAt most 10,000 rows.\n"));
        var change = await branch.PollAsync();
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);
        await OpenAsync(page, change);

        await page.GetByTestId("approve-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("approval-commit")).ToHaveTextAsync(commitA[..7]);
        await Assertions.Expect(page.GetByTestId("approval-effect")).ToBeVisibleAsync();
        var commitB = await branch.CommitAsync("Raise the export limit", ("docs/export.md", "# Export\n\nAt most 50,000 rows.\n"));
        Assert.Equal(2, (await branch.PollAsync()).RevisionCount);
        // The open dialog still names A, says that B arrived, and no longer promises what approving A would do.
        await Assertions.Expect(page.GetByTestId("approval-head-moved")).ToContainTextAsync($"Meanwhile commit {commitB[..7]} arrived.");
        await Assertions.Expect(page.GetByTestId("approval-effect")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("approval-confirm")).ToHaveAccessibleNameAsync($"Approve {commitA[..7]}");
        await page.GetByTestId("approval-confirm").ClickAsync();

        await Assertions.Expect(page.GetByTestId("decision-message"))
            .ToContainTextAsync($"Commit {commitB[..7]} arrived while you were confirming {commitA[..7]}: review the changes since, then decide.");
        await Assertions.Expect(page.GetByTestId("decision-changes-since")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"Commit {commitB[..7]} arrived while you were confirming {commitA[..7]}");
        await Assertions.Expect(page.Locator(".review-header [data-testid=state-badge]")).ToHaveTextAsync("Pending");
        Assert.Empty((await branch.ReadAsync()).Decisions);

        // Reading the changes since (a navigation) moves the reviewer, and what they decide on, to B.
        await page.GetByTestId("decision-changes-since").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("revision=2&since=1", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("decision-head-moved")).ToHaveCountAsync(0);
        await page.GetByTestId("approve-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("approval-commit")).ToHaveTextAsync(commitB[..7]);
        await page.GetByTestId("approval-confirm").ClickAsync();

        await Assertions.Expect(page.GetByTestId("decision-message")).ToHaveTextAsync($"You approved {commitB[..7]}. The change is approved.");
        await Assertions.Expect(page.Locator(".review-header [data-testid=state-badge]")).ToHaveTextAsync("Approved");
        var decision = Assert.Single((await branch.ReadAsync()).Decisions);
        Assert.Equal((2, commitB), (decision.RevisionNumber, decision.CommitSha));
        await page.Context.CloseAsync();
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task A_rejection_written_while_reading_the_head_is_not_recorded_on_a_commit_that_landed_meanwhile()
    {
        await using var branch = await LocalBranch.CreateAsync(fixture.Portal.Services, "agent/pinned-rejection");
        var commitA = await branch.CommitAsync("Cache the export query", ("docs/cache.md", "# Cache\n\nFive minutes.\n"));
        var change = await branch.PollAsync();
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);
        await OpenAsync(page, change);
        await Assertions.Expect(page.GetByTestId("decision-head")).ToContainTextAsync(commitA[..7]);

        var commitB = await branch.CommitAsync("Cache the export query for an hour", ("docs/cache.md", "# Cache\n\nOne hour.\n"));
        Assert.Equal(2, (await branch.PollAsync()).RevisionCount);
        // The live reload brings B in, and the panel says that it arrived while the reviewer was reading A.
        await Assertions.Expect(page.GetByTestId("decision-head-moved"))
            .ToContainTextAsync($"Commit {commitB[..7]} arrived while you were reviewing {commitA[..7]}: review the changes since, then decide.");
        await page.Locator("#decision-reason").FillAsync("Five minutes is too short for the nightly export.");
        await page.GetByTestId("reject-button").ClickAsync();
        // The reason dialog names the pinned commit and starts from the comment written in the panel.
        await Assertions.Expect(page.GetByTestId("reason-commit")).ToHaveTextAsync(commitA[..7]);
        await Assertions.Expect(page.GetByLabel("Reason", new() { Exact = true })).ToHaveValueAsync("Five minutes is too short for the nightly export.");
        await page.GetByTestId("reason-confirm").ClickAsync();

        await Assertions.Expect(page.GetByTestId("decision-message"))
            .ToContainTextAsync($"Commit {commitB[..7]} arrived while you were confirming {commitA[..7]}: review the changes since, then decide.");
        await Assertions.Expect(page.Locator(".review-header [data-testid=state-badge]")).ToHaveTextAsync("Pending");
        Assert.Empty((await branch.ReadAsync()).Decisions);
        await page.Context.CloseAsync();
    }

    private static void AssertNoSeriousViolation(Deque.AxeCore.Commons.AxeResult result)
    {
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target))}")));
    }
}
