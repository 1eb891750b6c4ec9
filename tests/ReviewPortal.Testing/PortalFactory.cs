using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Demo;

namespace ReviewPortal.Testing;

/// <summary>The real portal (Program.cs) on a test database; optionally on real Kestrel for browsers.</summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-agent-key-0123456789";

    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly bool _seedDemo;
    private readonly string? _demoRepositoryPath;

    public PortalFactory(string connectionString, bool seedDemo = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ConnectionStrings:Portal"] = connectionString,
            ["Ingest:ApiKey"] = ApiKey,
            ["Demo:Seed"] = seedDemo ? "true" : "false",
        };
        _seedDemo = seedDemo;
        if (seedDemo)
        {
            // Each portal gets its own demo git repository, so parallel test classes never write into one.
            _demoRepositoryPath = Path.Combine(Path.GetTempPath(), "reviewportal-tests", $"demo-repo-{Guid.NewGuid():N}");
            all["Demo:GitRepositoryPath"] = _demoRepositoryPath;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>(StringComparer.Ordinal))
        {
            all[key] = value;
        }

        _settings = all;
    }

    public static async Task<PortalFactory> CreateAsync(string purpose, bool seedDemo = false, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(await TestPostgres.CreateDatabaseAsync(purpose), seedDemo, settings);

    /// <summary>Starts the portal on Kestrel at 127.0.0.1 and <paramref name="port"/> (0: a free one), and returns its base address.</summary>
    public Uri StartOnKestrel(int port = 0)
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_demoRepositoryPath is not null && Directory.Exists(_demoRepositoryPath))
        {
            Directory.Delete(_demoRepositoryPath, recursive: true);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        // Explicit, so hosts started from a console program (the benchmarks) find it as tests do.
        builder.UseSolutionRelativeContentRoot("src/ReviewPortal.Web", solutionName: "ReviewPortal.sln");
        // Static web assets (blazor.web.js, css, MudBlazor) are only wired up automatically in Development.
        builder.UseStaticWebAssets();
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_seedDemo)
        {
            // As the demo host does it: the portal itself has no demo data.
            builder.ConfigureServices(services => services.AddPortalDemo());
        }
    }
}
