using Microsoft.Playwright;

namespace ReviewPortal.EndToEnd;

/// <summary>The queue page's grid rows and filter controls, as the tests that use the queue reach them.</summary>
internal static class QueueControls
{
    public static ILocator Rows(IPage page) => page.Locator("[data-testid=queue-grid] tr.queue-row");

    public static ILocator Row(IPage page, string title) =>
        Rows(page).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }) });

    /// <summary>Picks <paramref name="option"/> in the filter list labelled <paramref name="label"/> (a listbox, not a native select).</summary>
    public static async Task ChooseAsync(IPage page, string label, string option)
    {
        await page.GetByLabel(label, new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByLabel(label, new() { Exact = true })).ToHaveValueAsync(option);
    }
}
