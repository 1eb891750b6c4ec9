using Microsoft.Playwright;

namespace ReviewPortal.EndToEnd;

/// <summary>Saves full-page screenshots for the README when REVIEWPORTAL_SCREENSHOTS names a folder; otherwise does nothing.</summary>
internal static class Screenshots
{
    /// <summary>Saves the viewport as <paramref name="name"/>.png, scrolled to <paramref name="scrolledTo"/> first when given.</summary>
    public static async Task SaveAsync(IPage page, string name, ILocator? scrolledTo = null)
    {
        var folder = Environment.GetEnvironmentVariable("REVIEWPORTAL_SCREENSHOTS");
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }

        Directory.CreateDirectory(folder);
        if (scrolledTo is not null)
        {
            await scrolledTo.ScrollIntoViewIfNeededAsync();
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = false });
    }
}
