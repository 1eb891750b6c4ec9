using ReviewPortal.Testing;

namespace ReviewPortal.Web.Tests;

/// <summary>The portal on its own fresh PostgreSQL database, with the demo accounts and changes seeded.</summary>
public sealed class PortalFixture : IAsyncLifetime
{
    public PortalFactory Factory { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Factory = await PortalFactory.CreateAsync("webtests", seedDemo: true);
        // Starting the host runs migrations and seeding, as the real start-up does.
        _ = Factory.Services;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>
/// The demo portal without the background jobs that write to changes on their own (automatic assignment and
/// automatic approval), for tests that interleave writers deterministically and must be the only ones writing.
/// </summary>
public sealed class QuietPortalFixture : IAsyncLifetime
{
    public PortalFactory Factory { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Factory = await PortalFactory.CreateAsync("quiet", seedDemo: true, new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Review:Assignment:Enabled"] = "false",
            ["Review:Policy:AutomaticApproval:Enabled"] = "false",
        });
        _ = Factory.Services;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
