using Microsoft.Playwright;
using ReviewPortal.Testing;

namespace ReviewPortal.EndToEnd;

/// <summary>
/// Two portal instances on Kestrel (127.0.0.1, free ports) over one PostgreSQL database with the demo data (seeded by
/// the first; the second started after it, as in a rolling deployment), and one Chromium whose browser contexts sign
/// in to either instance.
/// </summary>
public sealed class TwoPortalsBrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public PortalInstances Portals { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>Errors the pages of this fixture's browser contexts reported.</summary>
    public BrowserConsole Console { get; } = new();

    public Uri AddressOf(int instance) => Portals.BaseAddresses[instance];

    public async Task InitializeAsync()
    {
        if (!File.Exists(PortalBrowserFixture.ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not installed at {PortalBrowserFixture.ChromiumPath}. Run the README's test command (it installs Debian's chromium) or set CHROMIUM_PATH.");
        }

        BrowserWaits.ApplyToExpectations();
        Portals = await PortalInstances.StartAsync("e2etwo", 2, seedDemo: true, onKestrel: true);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = PortalBrowserFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser session on instance <paramref name="instance"/> (0 or 1), signed in as <paramref name="email"/>, on the queue.</summary>
    public async Task<IPage> SignInAsync(int instance, string email)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = AddressOf(instance).ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        Console.Watch(context);
        context.SetDefaultTimeout(BrowserWaits.Limit);
        var page = await context.NewPageAsync();
        await PortalBrowserFixture.SignInAsync(page, email);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Portals is not null)
        {
            await Portals.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TwoPortalsCollection : ICollectionFixture<TwoPortalsBrowserFixture>
{
    public const string Name = "two-portals";
}
