using ReviewPortal.Testing;
using ReviewPortal.Web.Features.Account;
using ReviewPortal.Web.Features.Account.SingleSignOn;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Tests.Infrastructure.Security;

/// <summary>Settings the hardening and break-glass tests build their portals from.</summary>
public static class HardeningSettingsFor
{
    public const string BreakGlassUser = "breakglass@portal.test";
    public const string BreakGlassPassword = "Break-Glass-Passw0rd!";
    public const string ProviderAuthority = "https://login.acme.test/realms/portal";
    public const string BreakGlassLoginPath = $"/Account/Login?mode={Login.BreakGlassMode}";

    /// <summary>A break-glass administrator, created at start-up like a real installation's.</summary>
    public static Dictionary<string, string?> BreakGlass() => new(StringComparer.Ordinal)
    {
        [$"{LocalSignInSettings.Section}:{nameof(LocalSignInSettings.BreakGlassUserName)}"] = BreakGlassUser,
        [$"{LocalSignInSettings.Section}:{nameof(LocalSignInSettings.BreakGlassPassword)}"] = BreakGlassPassword,
    };

    /// <summary>The break-glass administrator and one single sign-on provider (never contacted: nobody presses its button).</summary>
    public static Dictionary<string, string?> WithSingleSignOn()
    {
        var settings = BreakGlass();
        const string provider = $"{SingleSignOnSettings.Section}:Providers:0";
        settings[$"{provider}:Name"] = "corp";
        settings[$"{provider}:DisplayName"] = "Corp SSO";
        settings[$"{provider}:Authority"] = ProviderAuthority;
        settings[$"{provider}:ClientId"] = "reviewportal";
        return settings;
    }

    public static Dictionary<string, string?> With(this Dictionary<string, string?> settings, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings[$"{HardeningSettings.Section}:{key}"] = value;
        return settings;
    }
}

/// <summary>A portal with single sign-on configured and a break-glass administrator, on TestServer.</summary>
public sealed class HardeningFixture : IAsyncLifetime
{
    public PortalFactory Factory { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Factory = await PortalFactory.CreateAsync("hardening", settings: HardeningSettingsFor.WithSingleSignOn());
        _ = Factory.Services;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
