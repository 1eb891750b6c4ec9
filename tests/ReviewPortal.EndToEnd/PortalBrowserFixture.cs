using Microsoft.Playwright;
using ReviewPortal.Demo;
using ReviewPortal.Testing;
using ReviewPortal.Web.Features.Account;
using ReviewPortal.Web.Features.Account.SingleSignOn;
using ReviewPortal.Web.Infrastructure;

namespace ReviewPortal.EndToEnd;

/// <summary>
/// The real portal on Kestrel (127.0.0.1, free port) over its own PostgreSQL database with the demo data, the
/// development identity provider (oidc-provider) configured as its SSO provider, and Debian's Chromium driven by
/// Playwright (it cannot download its own browsers here).
/// </summary>
public sealed class PortalBrowserFixture : IAsyncLifetime
{
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public PortalFactory Portal { get; private set; } = default!;

    public Uri BaseAddress { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public DevIdentityProvider IdentityProvider { get; private set; } = default!;

    /// <summary>Errors the pages of this fixture's browser contexts reported.</summary>
    public BrowserConsole Console { get; } = new();

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}. Run the README's test command (it installs Debian's chromium) or set CHROMIUM_PATH.");
        }

        BrowserWaits.ApplyToExpectations();
        // The provider must know the portal's callback before the portal starts, and the portal the provider's issuer.
        var port = LoopbackPorts.Free();
        IdentityProvider = await DevIdentityProvider.StartAsync(DevIdentityProvider.DemoPeopleFile,
            [DevIdentityProvider.ClientFor(new Uri($"http://127.0.0.1:{port}"))], allowControl: true);
        // Open pages follow their person's account within a second here, so tests wait on that and not on a minute. The
        // tests sign in as the seeded local accounts, which the demo's decisions and assignments belong to: they keep
        // their passwords beside single sign-on here.
        var settings = new Dictionary<string, string?>(IdentityProvider.PortalSettings(), StringComparer.Ordinal)
        {
            [$"{SessionRevalidationSettings.Section}:Interval"] = "00:00:01",
            [$"{SingleSignOnSettings.Section}:{nameof(SingleSignOnSettings.RefreshInterval)}"] = "00:00:01",
            [$"{LocalSignInSettings.Section}:{nameof(LocalSignInSettings.KeepPasswordsWithSingleSignOn)}"] = "true",
        };
        Portal = await PortalFactory.CreateAsync("e2e", seedDemo: true, settings);
        BaseAddress = Portal.StartOnKestrel(port);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser session (own cookies) signed in as <paramref name="email"/>, on the queue.</summary>
    public async Task<IPage> SignInAsync(string email)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        Console.Watch(context);
        context.SetDefaultTimeout(BrowserWaits.Limit);
        var page = await context.NewPageAsync();
        await SignInAsync(page, email);
        return page;
    }

    /// <summary>Signs <paramref name="page"/> in through the sign-in form and waits for the role's interactive landing page.</summary>
    public static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(DemoLogin.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath is not "/Account/Login" and not "/");
        await page.Locator("[data-interactive=true]").First.WaitForAsync();
    }

    /// <summary>Signs a fresh browser session in through the development identity provider and waits for the landing page.</summary>
    public async Task<IPage> SignInThroughProviderAsync(string email)
    {
        var page = await (await NewContextAsync()).NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByTestId("sso-dev").ClickAsync();
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(DemoLogin.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(BaseAddress.ToString(), StringComparison.Ordinal) && new Uri(url).AbsolutePath is not "/Account/Login" and not "/");
        await page.Locator("[data-interactive=true]").First.WaitForAsync();
        return page;
    }

    /// <summary>A fresh browser session, signed out, whose errors <see cref="Console"/> records.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });
        context.SetDefaultTimeout(BrowserWaits.Limit);
        Console.Watch(context);
        return context;
    }

    /// <summary>Waits until the page's circuit has rendered it, so clicks are handled.</summary>
    public static Task WaitInteractiveAsync(IPage page, string testId) =>
        page.Locator($"[data-testid={testId}][data-interactive=true]").WaitForAsync();

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Portal is not null)
        {
            await Portal.DisposeAsync();
        }

        if (IdentityProvider is not null)
        {
            await IdentityProvider.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<PortalBrowserFixture>
{
    // One portal and one browser for all end-to-end tests; they run one after another on a 2-core machine.
    public const string Name = "end-to-end";
}
