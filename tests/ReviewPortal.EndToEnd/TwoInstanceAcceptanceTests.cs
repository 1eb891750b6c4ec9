using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;

namespace ReviewPortal.EndToEnd;

/// <summary>
/// The review gate's promises with two portal instances on one database: visibility of tier 4, the author
/// who cannot approve, and four eyes for tier 4 hold whichever instance a browser uses. (The approval that shows on the
/// other instance within a second is <see cref="LiveUpdateTests"/>.)
/// </summary>
[Collection(TwoPortalsCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class TwoInstanceAcceptanceTests(TwoPortalsBrowserFixture fixture) : ConsoleCheckedTest(fixture.Console)
{
    private const string AuthFile = "src/Payments.Api/Auth/SessionTokenIssuer.cs";

    /// <summary>Auth path (+40) and a DDL migration (+30): tier 4, with the rollback plan and blast radius tier 4 needs.</summary>
    private async Task<long> SubmitCriticalAsync(string title)
    {
        var id = await SubmitAsync(new
        {
            title,
            repository = "acme/payments-api",
            author = "payments-agent[bot]",
            prompter = DemoLogin.Dana,
            agentSessionId = "sess_two_instances",
            modelVersion = "claude-sonnet-4.5",
            prompt = "Shorten session token lifetime and add a revocation table.",
            coveragePercent = 86,
            tests = new { passed = 120, failed = 0, skipped = 0 },
            rollbackPlan = new { steps = "Revert the commit and drop the revocations table.", blastRadius = "All signed-in sessions of the payments API." },
            files = new object[]
            {
                new { path = AuthFile, oldContent = "var lifetime = TimeSpan.FromHours(12);\n", newContent = "var lifetime = TimeSpan.FromMinutes(15);\n" },
                new { path = "db/migrations/0042_token_revocations.sql", oldContent = (string?)null, newContent = "CREATE TABLE token_revocations (id bigint PRIMARY KEY, revoked_at timestamptz NOT NULL);\n" },
            },
        });
        await using var scope = fixture.Portals[0].Services.CreateAsyncScope();
        var tier = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.Where(c => c.Id == id).Select(c => c.Tier).SingleAsync();
        Assert.Equal(Domain.Risk.RiskTier.Critical, tier);
        return id;
    }

    private async Task<long> SubmitAsync(object body)
    {
        using var client = AgentApi.Client(fixture.AddressOf(0));
        return await client.SubmitChangeAsync(body);
    }

    private static async Task OpenAsync(IPage page, long id)
    {
        await page.GotoAsync($"/changes/{id}");
        await PortalBrowserFixture.WaitInteractiveAsync(page, "review-page");
    }

    private static async Task ApproveAsync(IPage page)
    {
        await page.GetByTestId("approve-button").ClickAsync();
        await page.GetByTestId("approval-confirm").ClickAsync();
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task A_plain_reviewer_neither_sees_nor_opens_a_tier_4_change_on_either_instance_and_both_answer_as_for_a_missing_one()
    {
        const string title = "Shorten session tokens and record revocations";
        var id = await SubmitCriticalAsync(title);

        for (var instance = 0; instance < 2; instance++)
        {
            var page = await fixture.SignInAsync(instance, DemoLogin.Reviewer);
            await page.GotoAsync($"/queue/all?q={Uri.EscapeDataString("session tokens")}");
            await PortalBrowserFixture.WaitInteractiveAsync(page, "queue-page");
            await Assertions.Expect(page.GetByTestId("queue-total")).ToHaveTextAsync("0 changes");
            await Assertions.Expect(page.GetByText(title)).ToHaveCountAsync(0);

            await page.GotoAsync($"/changes/{long.MaxValue}");
            // What the reviewer reads (the markup differs only by where the circuit puts the focus after navigating).
            var missingPage = await page.GetByTestId("change-not-found").InnerTextAsync();
            await page.GotoAsync($"/changes/{id}");
            Assert.Equal(missingPage, await page.GetByTestId("change-not-found").InnerTextAsync());
            var html = await page.ContentAsync();
            Assert.DoesNotContain(title, html, StringComparison.Ordinal);
            Assert.DoesNotContain("sess_two_instances", html, StringComparison.Ordinal);
            Assert.DoesNotContain(AuthFile, html, StringComparison.Ordinal);

            // The JSON API with the same signed-in session.
            var api = await page.APIRequest.GetAsync($"/api/changes/{id}");
            var missing = await page.APIRequest.GetAsync($"/api/changes/{long.MaxValue}");
            Assert.Equal((404, 404), (api.Status, missing.Status));
            Assert.StartsWith("application/problem+json", api.Headers["content-type"], StringComparison.Ordinal);
            Assert.Equal(await missing.BodyAsync(), await api.BodyAsync());
            Assert.DoesNotContain(title, await api.TextAsync(), StringComparison.Ordinal);
            await page.Context.CloseAsync();
        }

        // The same change is there for a security reviewer: the reviewer was refused for the tier, not for want of it.
        var security = await fixture.SignInAsync(1, DemoLogin.SecurityReviewer);
        await OpenAsync(security, id);
        await Assertions.Expect(security.GetByTestId("change-title")).ToHaveTextAsync(title);
        Assert.Equal(200, (await security.APIRequest.GetAsync($"/api/changes/{id}")).Status);
        await security.Context.CloseAsync();
    }

    [Fact]
    public async Task The_author_of_a_change_cannot_approve_it_from_either_instance()
    {
        var id = await SubmitAsync(new
        {
            title = "Add an index on refunds by merchant",
            repository = "acme/payments-api",
            author = DemoLogin.SecondReviewer,
            files = new[] { new { path = "db/queries/refunds_by_merchant.sql", oldContent = "SELECT id FROM refunds;\n", newContent = "SELECT id FROM refunds WHERE merchant_id = $1;\n" } },
        });

        var page = await fixture.SignInAsync(1, DemoLogin.SecondReviewer);
        await OpenAsync(page, id);
        var approve = page.GetByTestId("approve-button");
        await Assertions.Expect(approve).ToBeDisabledAsync();
        await Assertions.Expect(approve).ToHaveAccessibleDescriptionAsync("You are the author of this change, so you cannot approve it.");
        await page.Context.CloseAsync();

        // A disabled button is only a hint: the server refuses too, on the other instance, with the roles it re-reads.
        await using var scope = fixture.Portals[0].Services.CreateAsyncScope();
        var author = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByNameAsync(DemoLogin.SecondReviewer)
                     ?? throw new InvalidOperationException(DemoLogin.SecondReviewer);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, author.Id)], "test"));
        var outcome = await fixture.Portals[0].Services.GetRequiredService<DecisionService>().DecideAsync(id, principal, await fixture.Portals[0].Services.HeadOfAsync(id), DecisionKind.Approve, null);
        Assert.False(outcome.Succeeded);
        Assert.Equal("You are the author of this change, so you cannot approve it.", outcome.Message);
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.False(await db.Decisions.AnyAsync(d => d.ChangeId == id));
        Assert.Equal(ChangeState.Pending, await db.Changes.Where(c => c.Id == id).Select(c => c.State).SingleAsync());
    }

    [Fact]
    public async Task A_tier_4_change_counts_as_approved_only_after_a_second_distinct_security_reviewer_approves_on_the_other_instance()
    {
        var id = await SubmitCriticalAsync("Rotate session token keys with a revocation list");

        var first = await fixture.SignInAsync(0, DemoLogin.SecurityReviewer);
        await OpenAsync(first, id);
        await ApproveAsync(first);
        await Assertions.Expect(first.GetByTestId("decision-message")).ToContainTextAsync("You approved");
        await Assertions.Expect(first.Locator(".review-header [data-testid=state-badge]")).ToHaveTextAsync("Pending");
        await Assertions.Expect(first.GetByTestId("policy-needs-list")).ToContainTextAsync("1 more security reviewer approval");
        // The same security reviewer cannot count twice.
        await Assertions.Expect(first.GetByTestId("approve-button")).ToBeDisabledAsync();

        var second = await fixture.SignInAsync(1, DemoLogin.SecondSecurityReviewer);
        await OpenAsync(second, id);
        await Assertions.Expect(second.GetByTestId("policy-needs-list")).ToContainTextAsync("1 more security reviewer approval");
        await ApproveAsync(second);
        await Assertions.Expect(second.GetByTestId("decision-message")).ToContainTextAsync("The change is approved.");
        await Assertions.Expect(second.Locator(".review-header [data-testid=state-badge]")).ToHaveTextAsync("Approved");

        // The first reviewer's page, on the other instance, follows without a reload.
        await Assertions.Expect(first.Locator(".review-header [data-testid=state-badge]")).ToHaveTextAsync("Approved");
        await Assertions.Expect(first.GetByTestId("policy-satisfied")).ToContainTextAsync("Sasha Ivanova and Kim Laurent");
        await first.Context.CloseAsync();
        await second.Context.CloseAsync();
    }
}
