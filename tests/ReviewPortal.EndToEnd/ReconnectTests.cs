using Microsoft.Playwright;
using ReviewPortal.Testing;

namespace ReviewPortal.EndToEnd;

/// <summary>
/// The portal restarts under an open page (a deploy, a crash): the page shows the framework's reconnect dialog while
/// the server is away, and once it is back the page recovers by itself (the circuit is gone with the old process, so
/// the framework reloads the page) and works. A portal of its own: the shared one must keep running.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ReconnectTests(PortalBrowserFixture fixture) : ConsoleCheckedTest(fixture.Console)
{
    [Fact]
    public async Task A_page_shows_the_reconnect_dialog_while_the_server_is_down_and_recovers_when_it_is_back()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("reconnect");
        var first = new PortalFactory(connectionString, seedDemo: true);
        PortalFactory? second = null;
        try
        {
            var address = first.StartOnKestrel();
            var context = await fixture.Browser.NewContextAsync(new() { BaseURL = address.ToString() });
            context.SetDefaultTimeout(BrowserWaits.Limit);
            fixture.Console.Watch(context);
            // While the server is away the browser logs its failed connection attempts; that is the point of the test.
            BrowserConsole.Allow("WebSocket|Failed to load resource|Failed to fetch|ERR_CONNECTION_REFUSED|Connection disconnected|not in the .Connected. State|Failed to complete negotiation|Failed to start the (connection|transport)|reconnect|circuit", ignoreCase: true);
            var page = await context.NewPageAsync();
            await PortalBrowserFixture.SignInAsync(page, DemoLogin.Reviewer);
            await PortalBrowserFixture.WaitInteractiveAsync(page, "queue-page");
            await page.EvaluateAsync("() => { window.__beforeRestart = true; }");

            await first.DisposeAsync();
            await Assertions.Expect(page.Locator("#components-reconnect-modal")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#components-reconnect-modal")).ToContainTextAsync("Rejoin", new() { IgnoreCase = true });

            second = new PortalFactory(connectionString);
            second.StartOnKestrel(address.Port);

            // Recovered: a new document (the old circuit died with the old process), still signed in, and interactive.
            await page.WaitForFunctionAsync("() => window.__beforeRestart === undefined && document.querySelector('[data-testid=queue-page][data-interactive=true]') !== null");
            await Assertions.Expect(page.Locator("#components-reconnect-modal")).Not.ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "All changes" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "All changes", Level = 1 })).ToBeVisibleAsync();
            await context.CloseAsync();
        }
        finally
        {
            if (second is not null)
            {
                await second.DisposeAsync();
            }

            await first.DisposeAsync();
        }
    }
}
