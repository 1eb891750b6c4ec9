using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;
using Xunit.Abstractions;

namespace ReviewPortal.EndToEnd;

/// <summary>Pages on one instance update, without a reload, when a change moves on another.</summary>
[Collection(TwoPortalsCollection.Name)]
[Trait("Category", "EndToEnd")]
[Trait("Category", "LiveUpdates")]
public sealed class LiveUpdateTests(TwoPortalsBrowserFixture fixture, ITestOutputHelper output) : ConsoleCheckedTest(fixture.Console)
{
    /// <summary>
    /// Records in the page, with the browser's clock, the moment <paramref name="condition"/> (a JS expression) first
    /// holds: a MutationObserver sees every re-render the circuit sends, so no polling interval adds to what is measured.
    /// </summary>
    private static Task WatchAsync(IPage page, string name, string condition) =>
        page.EvaluateAsync($$"""
            () => {
                window.__seen ??= {};
                const check = () => { if (!window.__seen['{{name}}'] && ({{condition}})) { window.__seen['{{name}}'] = Date.now(); } };
                new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
                check();
            }
            """);

    private static async Task<long> SeenAtAsync(IPage page, string name)
    {
        await page.WaitForFunctionAsync("name => window.__seen && window.__seen[name]", name);
        return await page.EvaluateAsync<long>("name => window.__seen[name]", name);
    }

    private static string RowOf(string title) =>
        $"[...document.querySelectorAll('[data-testid=change-link]')].find(a => a.textContent.trim() === {JsonSerializer.Serialize(title)})?.closest('tr')";

    /// <summary>All changes, newest first, so a change submitted now is on the first page whatever its tier and state.</summary>
    private static async Task SortNewestFirstAsync(IPage queue)
    {
        await queue.GotoAsync("/queue/all?sort=id&desc=true");
        await PortalBrowserFixture.WaitInteractiveAsync(queue, "queue-page");
    }

    private static async Task MarkNoReloadAsync(IPage page) => await page.EvaluateAsync("() => { window.__sameDocument = true; }");

    private static async Task AssertNoReloadAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page was reloaded.");

    private async Task<long> SubmitThroughInstanceOneAsync(string title, string path, string content)
    {
        using var client = AgentApi.Client(fixture.AddressOf(0));
        return await client.SubmitChangeAsync(new
        {
            title,
            repository = "acme/payments-api",
            author = "payments-agent[bot]",
            prompter = "dana@demo.local",
            agentSessionId = "sess_live_e2e",
            modelVersion = "claude-sonnet-4.5",
            files = new[] { new { path, oldContent = "", newContent = content } },
        });
    }

    /// <summary>The first decision of a host compiles the identity and decision queries: done once, not measured.</summary>
    private async Task WarmUpDecisionsOnInstanceOneAsync()
    {
        var id = await SubmitThroughInstanceOneAsync("Warm-up for decisions", "docs/warm-up.md", "Warm.\n");
        await using var scope = fixture.Portals[0].Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByNameAsync(DemoLogin.SecondReviewer)
                   ?? throw new InvalidOperationException(DemoLogin.SecondReviewer);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id)], "test"));
        var outcome = await fixture.Portals[0].Services.GetRequiredService<DecisionService>().DecideAsync(id, principal, await fixture.Portals[0].Services.HeadOfAsync(id), DecisionKind.Reject, "Warm-up.");
        Assert.True(outcome.Succeeded, outcome.Message);
    }

    [Fact]
    public async Task A_change_submitted_through_instance_one_shows_in_a_queue_on_instance_two_without_a_reload()
    {
        var queue = await fixture.SignInAsync(1, DemoLogin.Reviewer);
        await SortNewestFirstAsync(queue);
        // The first submission warms instance one's API up; the one after it is measured.
        const string warmUp = "Document the refund window";
        await SubmitThroughInstanceOneAsync(warmUp, "docs/refunds.md", "Refunds take five days.\n");
        await Assertions.Expect(queue.GetByRole(AriaRole.Link, new() { Name = warmUp })).ToBeVisibleAsync();
        await MarkNoReloadAsync(queue);
        const string title = "Document the chargeback process";
        await WatchAsync(queue, "arrived", RowOf(title) + " != null");

        var submittedAt = await queue.EvaluateAsync<long>("() => Date.now()");
        await SubmitThroughInstanceOneAsync(title, "docs/chargebacks.md", "Chargebacks go to the payments team.\n");

        var latency = await SeenAtAsync(queue, "arrived") - submittedAt;
        // Reported, not asserted: the live-updates benchmark holds the figure to its target on a quiet machine.
        output.WriteLine($"Submission through instance 1 to the queue on instance 2: {latency} ms");
        await Assertions.Expect(queue.GetByRole(AriaRole.Link, new() { Name = title })).ToBeVisibleAsync();
        await AssertNoReloadAsync(queue);
        await queue.Context.CloseAsync();
    }

    [Fact]
    public async Task A_browser_on_instance_one_approves_and_a_queue_on_instance_two_shows_it_without_a_reload()
    {
        await WarmUpDecisionsOnInstanceOneAsync();
        const string title = "Read the monthly refund report in one query";
        var id = await SubmitThroughInstanceOneAsync(title, "db/queries/refund_report.sql", "SELECT id, amount FROM refunds WHERE month = $1;\n");
        var queue = await fixture.SignInAsync(1, DemoLogin.Reviewer);
        await SortNewestFirstAsync(queue);
        var row = queue.Locator("tr", new() { Has = queue.GetByRole(AriaRole.Link, new() { Name = title }) });
        await Assertions.Expect(row.GetByTestId("state-badge")).ToHaveTextAsync("Pending");

        var reviewer = await fixture.SignInAsync(0, DemoLogin.SecondReviewer);
        await reviewer.GotoAsync($"/changes/{id}");
        await PortalBrowserFixture.WaitInteractiveAsync(reviewer, "review-page");
        await MarkNoReloadAsync(queue);
        await WatchAsync(queue, "approved", RowOf(title) + "?.querySelector('[data-testid=state-badge]')?.textContent.trim() === 'Approved'");

        await WatchAsync(reviewer, "confirmed", "document.querySelector('[data-testid=decision-message]')?.textContent.includes('The change is approved.') === true");
        using var onInstanceTwo = new ChangeFeedRecorder(fixture.Portals[1].Services.GetRequiredService<Web.Infrastructure.Notifications.ChangeFeed>());

        // Approving asks to confirm the commit; the decision is made, and measured, from the confirming click.
        await reviewer.GetByTestId("approve-button").ClickAsync();
        var confirm = reviewer.GetByTestId("approval-confirm");
        await Assertions.Expect(confirm).ToBeVisibleAsync();
        var clickedAt = await reviewer.EvaluateAsync<long>("() => Date.now()");
        var clickedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        await confirm.ClickAsync();
        await Assertions.Expect(reviewer.GetByTestId("decision-message")).ToContainTextAsync("The change is approved.");

        var latency = await SeenAtAsync(queue, "approved") - clickedAt;
        var heard = await onInstanceTwo.WaitForAsync(id, Web.Infrastructure.Notifications.ChangeActivity.Decided, Eventually.DefaultLimit);
        output.WriteLine($"Approval click on instance 1 to the queue on instance 2: {latency} ms (confirmed on instance 1 after {await SeenAtAsync(reviewer, "confirmed") - clickedAt} ms; instance 2 heard it after about {heard.Since(clickedTimestamp).TotalMilliseconds:F0} ms)");
        await Assertions.Expect(row.GetByTestId("state-badge")).ToHaveTextAsync("Approved");
        await AssertNoReloadAsync(queue);
        await reviewer.Context.CloseAsync();
        await queue.Context.CloseAsync();
    }
}
