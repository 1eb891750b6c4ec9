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
