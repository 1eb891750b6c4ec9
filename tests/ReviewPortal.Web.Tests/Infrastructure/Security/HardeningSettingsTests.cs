using ReviewPortal.Testing;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Tests.Infrastructure.Security;

public sealed class HardeningSettingsTests
{
    [Fact]
    public async Task Impossible_lifetimes_limits_and_origins_stop_the_start_naming_the_key()
    {
        await using var factory = await PortalFactory.CreateAsync("hardeningsettings", settings: new Dictionary<string, string?>(StringComparer.Ordinal)
            .With("Session:IdleTimeout", "10:00:00").With("Session:AbsoluteLifetime", "02:00:00")
            .With("ApiKeyFailures:PermitLimit", "0")
            .With("ExtraFormActionOrigins:0", "http://login.acme.test/authorize"));

        var error = Assert.ThrowsAny<Microsoft.Extensions.Options.OptionsValidationException>(() => factory.Services);

        Assert.Contains("Security:Session:AbsoluteLifetime must be at least Security:Session:IdleTimeout.", error.Failures);
        Assert.Contains("Security:ApiKeyFailures needs a PermitLimit of at least 1 and a positive Window.", error.Failures);
        Assert.Contains("Security:ExtraFormActionOrigins: 'http://login.acme.test/authorize' must be an https origin (scheme and host, no path).", error.Failures);
    }

    [Fact]
    public void Extra_form_action_origins_join_the_providers_in_the_policy_once_each()
    {
        var policy = new ContentSecurityPolicy(["https://login.acme.test/realms/portal", "https://LOGIN.acme.test", "https://auth.acme.test", "not a url"]).Value;

        Assert.EndsWith("form-action 'self' https://login.acme.test https://auth.acme.test", policy, StringComparison.Ordinal);
    }
}
