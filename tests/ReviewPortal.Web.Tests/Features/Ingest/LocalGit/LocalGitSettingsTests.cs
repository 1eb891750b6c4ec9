using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReviewPortal.Testing;
using ReviewPortal.Web.Features.Ingest.LocalGit;

namespace ReviewPortal.Web.Tests.Features.Ingest.LocalGit;

public sealed class LocalGitSettingsTests
{
    [Fact]
    public async Task The_configured_interval_is_the_pollers()
    {
        await using var factory = await PortalFactory.CreateAsync("localgitsettings", settings: new Dictionary<string, string?>(StringComparer.Ordinal) { ["LocalGit:PollSeconds"] = "45" });

        Assert.Equal(TimeSpan.FromSeconds(45), factory.Services.GetRequiredService<LocalGitPoller>().Interval);
    }

    [Theory]
    [InlineData("LocalGit:PollSeconds", "0")]
    [InlineData("LocalGit:PollSeconds", "86401")]
    [InlineData("LocalGit:CommandTimeoutSeconds", "0")]
    public async Task An_interval_or_timeout_out_of_range_stops_the_portal_from_starting_and_names_the_section(string key, string value)
    {
        await using var factory = await PortalFactory.CreateAsync("localgitinvalid", settings: new Dictionary<string, string?>(StringComparer.Ordinal) { [key] = value });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.Services);

        Assert.Contains(error.Failures, f => f.StartsWith("LocalGit: PollSeconds must be 1-86400 and CommandTimeoutSeconds 1-3600", StringComparison.Ordinal));
    }
}
