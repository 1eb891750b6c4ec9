using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Testing;

/// <summary>
/// Several portal instances on one PostgreSQL database, each a host of its own as a separate process would be. The
/// first starts alone (it migrates, and seeds the demo data if asked), the others after it, as in a rolling deployment;
/// each is returned once its change listener is LISTENing, so a test's first write reaches them all.
/// </summary>
public sealed class PortalInstances : IAsyncDisposable
{
    private PortalInstances(string connectionString, IReadOnlyList<PortalFactory> instances, IReadOnlyList<Uri> baseAddresses)
    {
        ConnectionString = connectionString;
        Instances = instances;
        BaseAddresses = baseAddresses;
    }

    public string ConnectionString { get; }

    public IReadOnlyList<PortalFactory> Instances { get; }

    /// <summary>Each instance's address on Kestrel; empty unless started with <c>onKestrel</c>.</summary>
    public IReadOnlyList<Uri> BaseAddresses { get; }

    public PortalFactory this[int index] => Instances[index];

    public static async Task<PortalInstances> StartAsync(string purpose, int count = 2, bool seedDemo = false, IReadOnlyDictionary<string, string?>? settings = null, bool onKestrel = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var connectionString = await TestPostgres.CreateDatabaseAsync(purpose);
        var instances = new List<PortalFactory>();
        var addresses = new List<Uri>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                // Only the first seeds: the demo data is per database, and each seeding instance would bring its own demo repository.
                var instance = new PortalFactory(connectionString, seedDemo: seedDemo && i == 0, settings);
                instances.Add(instance);
                if (onKestrel)
                {
                    addresses.Add(instance.StartOnKestrel());
                }
                else
                {
                    _ = instance.Services;
                }

                await instance.WaitUntilListeningAsync();
            }
        }
        catch
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }

            throw;
        }

        return new PortalInstances(connectionString, instances, addresses);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Instances.Reverse())
        {
            await instance.DisposeAsync();
        }
    }
}

public static class PortalListening
{
    /// <summary>Waits until the instance's change listener is LISTENing.</summary>
    public static Task WaitUntilListeningAsync(this PortalFactory portal)
    {
        ArgumentNullException.ThrowIfNull(portal);
        var listener = portal.Services.GetRequiredService<ChangeListener>();
        return Eventually.TrueAsync(() => listener.IsListening, "the portal's change listener to start listening");
    }
}
