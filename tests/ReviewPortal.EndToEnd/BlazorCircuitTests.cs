using Microsoft.Playwright;
using ReviewPortal.Testing;

namespace ReviewPortal.EndToEnd;

[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class BlazorCircuitTests(PortalBrowserFixture fixture) : ConsoleCheckedTest(fixture.Console)
{
    [Fact]
    public async Task Blazor_script_is_served_and_a_click_round_trips_through_the_circuit()
    {
        var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var scriptStatus = 0;
        var circuitSocket = false;
        page.Response += (_, response) =>
        {
            // The fresh context's first load: later pages revalidate the script, which the SDK's static asset
            // endpoint answers with 304 Not Modified.
            if (scriptStatus == 0 && response.Url.EndsWith("/_framework/blazor.web.js", StringComparison.Ordinal))
            {
                scriptStatus = response.Status;
            }
        };
        page.WebSocket += (_, socket) => circuitSocket |= socket.Url.Contains("/_blazor", StringComparison.Ordinal);

        await PortalBrowserFixture.SignInAsync(page, DemoLogin.Reviewer);

        Assert.Equal(200, scriptStatus);
        Assert.True(circuitSocket, "the page opened the Blazor circuit's WebSocket");
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.Blazor === 'object'"));

        // The default order puts the nearest SLA deadline first (a tier-3 change here); sorting by score is a round
        // trip through the circuit.
        var firstScore = QueueControls.Rows(page).First.GetByTestId("risk-score");
        await Assertions.Expect(firstScore).Not.ToHaveTextAsync("0");
        await QueueControls.ChooseAsync(page, "Sort by", "Risk score (lowest first)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("[?&]sort=score", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)));
        await Assertions.Expect(firstScore).ToHaveTextAsync("0");
        await context.CloseAsync();
    }
}
