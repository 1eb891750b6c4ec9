using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ReviewPortal.Testing;

namespace ReviewPortal.EndToEnd;

[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class AdminPagesTests(PortalBrowserFixture fixture) : ConsoleCheckedTest(fixture.Console)
{
    private static async Task OpenAsync(IPage page, string linkName, string testId)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = linkName, Exact = true }).ClickAsync();
        await PortalBrowserFixture.WaitInteractiveAsync(page, testId);
    }

    private static Regex Pattern(string pattern) => new(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));

    [Fact]
    public async Task An_admin_lands_on_the_overview_whose_figures_link_to_their_pages()
    {
        var page = await fixture.SignInAsync(DemoLogin.Admin);

        Assert.Equal("/admin", new Uri(page.Url).AbsolutePath);
        await PortalBrowserFixture.WaitInteractiveAsync(page, "admin-overview-page");
        await Assertions.Expect(page.GetByTestId("figure-repositories-value")).ToHaveTextAsync(Pattern("^[1-9][0-9]*$"));
        await Assertions.Expect(page.GetByTestId("figure-risk-rules-value")).ToHaveTextAsync(Pattern("\\S"));
        await Assertions.Expect(page.GetByTestId("figure-api-clients-value")).ToHaveTextAsync(Pattern("^[0-9]+ active$"));
        await Assertions.Expect(page.GetByTestId("figure-deliveries-value")).ToHaveTextAsync(Pattern("^[0-9]+ failed$"));
        await Screenshots.SaveAsync(page, "admin-overview");

        await page.GetByRole(AriaRole.Link, new() { Name = "See failed deliveries" }).ClickAsync();
        await PortalBrowserFixture.WaitInteractiveAsync(page, "webhook-deliveries-page");
        await Assertions.Expect(page.GetByTestId("delivery-list")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview", Exact = true }).ClickAsync();
        await PortalBrowserFixture.WaitInteractiveAsync(page, "admin-overview-page");
        await page.GetByRole(AriaRole.Link, new() { Name = "View and upload rules" }).ClickAsync();
        await PortalBrowserFixture.WaitInteractiveAsync(page, "risk-rules-page");
        await Assertions.Expect(page.GetByTestId("active-rule-version")).Not.ToBeEmptyAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_registers_a_repository_and_sees_its_webhook_secret_once()
    {
        var page = await fixture.SignInAsync(DemoLogin.Admin);
        await OpenAsync(page, "Repositories", "repositories-page");

        await page.GetByLabel("Name (owner/name or group/project)").FillAsync("acme/e2e-registered");
        await page.GetByLabel("Access token (stored encrypted)").FillAsync("ghp_e2e_token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();

        var secret = page.GetByTestId("webhook-secret");
        // Absolute, so it can be pasted into the SCM's webhook settings as it is.
        await Assertions.Expect(page.GetByTestId("webhook-url")).ToHaveTextAsync(Pattern($"^{Regex.Escape(fixture.BaseAddress.ToString().TrimEnd('/'))}/webhooks/github/[0-9]+$"));
        await Assertions.Expect(secret).ToContainTextAsync(Pattern("Secret: [0-9a-f]{64}"));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy webhook secret" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("repository-list")).ToContainTextAsync("acme/e2e-registered");
        await Assertions.Expect(page.GetByLabel("Name (owner/name or group/project)")).ToHaveValueAsync("");
        await Assertions.Expect(page.GetByLabel("Access token (stored encrypted)")).ToHaveValueAsync("");
        await page.ReloadAsync();
        await PortalBrowserFixture.WaitInteractiveAsync(page, "repositories-page");
        await Assertions.Expect(page.GetByTestId("webhook-secret")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_creates_an_api_key_and_revokes_it()
    {
        var page = await fixture.SignInAsync(DemoLogin.Admin);
        await OpenAsync(page, "API clients", "api-clients-page");

        await page.GetByLabel("Name (e.g. payments-agent, ci-main)").FillAsync("e2e-agent");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("new-api-key")).ToContainTextAsync(Pattern("rp_[0-9a-f]{12}_[0-9a-f]{48}"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke e2e-agent" }).ClickAsync();
        var confirmation = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(confirmation).ToContainTextAsync("Revoke e2e-agent?");
        await confirmation.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("api-client-list").Locator("tr", new() { HasText = "e2e-agent" })).ToContainTextAsync("revoked");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Revoke e2e-agent" })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task An_admin_grants_a_client_a_repository_on_its_page_and_removes_it_again()
    {
        var page = await fixture.SignInAsync(DemoLogin.Admin);
        await OpenAsync(page, "API clients", "api-clients-page");
        await page.GetByLabel("Name (e.g. payments-agent, ci-main)").FillAsync("e2e-grantee");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("new-api-key")).ToContainTextAsync("e2e-grantee");

        await OpenAsync(page, "e2e-grantee", "api-client-page");
        await Assertions.Expect(page.GetByTestId("no-grants")).ToContainTextAsync("not granted any repository");
        await page.GetByRole(AriaRole.Button, new() { Name = "Grant repository" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("grant-error")).ToContainTextAsync("Choose the repository to grant first.");
        await page.GetByLabel("Repository", new() { Exact = true }).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "acme/payments-service (LocalGit)" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Grant repository" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("grant-message")).ToContainTextAsync("API client e2e-grantee is now limited to its granted repositories, acme/payments-service among them");
        await Assertions.Expect(page.GetByTestId("grant-list")).ToContainTextAsync("acme/payments-service");
        await page.ReloadAsync();
        await PortalBrowserFixture.WaitInteractiveAsync(page, "api-client-page");
        await Assertions.Expect(page.GetByTestId("grant-list")).ToContainTextAsync(DemoLogin.Admin);
        await Screenshots.SaveAsync(page, "api-client-grants");

        await page.GetByRole(AriaRole.Button, new() { Name = "Remove acme/payments-service" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("grant-message")).ToContainTextAsync("is no longer granted");
        await Assertions.Expect(page.GetByTestId("no-grants")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_invalid_rule_set_shows_its_errors_and_does_not_change_the_active_version()
    {
        var page = await fixture.SignInAsync(DemoLogin.Admin);
        await OpenAsync(page, "Risk rules", "risk-rules-page");
        var active = await page.GetByTestId("active-rule-version").TextContentAsync();

        await page.GetByLabel("Rule set YAML").FillAsync("rules:\n  - id: broken\n    weight: lots\n");
        await page.GetByTestId("upload-rules").ClickAsync();

        await Assertions.Expect(page.GetByTestId("rule-errors")).ToContainTextAsync("Not activated");
        await Assertions.Expect(page.GetByTestId("active-rule-version")).ToHaveTextAsync(active!);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_reviewer_sees_no_admin_links_and_is_refused_the_admin_pages()
    {
        var page = await fixture.SignInAsync(DemoLogin.Reviewer);

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Risk rules" })).ToHaveCountAsync(0);
        await page.GotoAsync("/admin/risk-rules");
        Assert.Equal("/Account/AccessDenied", new Uri(page.Url).AbsolutePath);
        await page.Context.CloseAsync();
    }
}
