using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using ReviewPortal.Testing;

namespace ReviewPortal.Web.Tests.Infrastructure;

/// <summary>A first start as a newcomer sees it: nothing at Warning or above when nothing is wrong.</summary>
public sealed class CleanStartTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_first_start_on_an_empty_database_logs_nothing_at_warning_or_above(bool seedDemo)
    {
        var log = new RecordingLoggerProvider();
        await using var portal = await PortalFactory.CreateAsync("clean-start", seedDemo);
        await using var host = portal.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(log)));

        using var client = host.CreateClient();
        Assert.Equal("Healthy", await client.GetStringAsync("/health"));

        Assert.Contains(log.Entries, e => e.Category == "Microsoft.Hosting.Lifetime" && e.Entry.Message.StartsWith("Application started", StringComparison.Ordinal));
        Assert.Empty(log.Entries.Where(e => e.Entry.Level >= LogLevel.Warning).Select(e => $"{e.Entry.Level} {e.Category}: {e.Entry.Message}"));
    }
}
