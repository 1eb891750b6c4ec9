using Microsoft.Playwright;

namespace ReviewPortal.EndToEnd;

/// <summary>Saves full-page screenshots for the README when REVIEWPORTAL_SCREENSHOTS names a folder; otherwise does nothing.</summary>
internal static class Screenshots
{
    public static async Task SaveAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("REVIEWPORTAL_SCREENSHOTS");
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }

        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = false });
    }
}
