using System.Text.Json;
using System.Text.RegularExpressions;
using ReviewPortal.Web.Infrastructure.Security;
using YamlDotNet.RepresentationModel;

namespace ReviewPortal.Web.Tests.Deployment;

/// <summary>
/// docker-compose.yml cannot run here (no Docker engine), so it is held to the app instead: service names,
/// health checks, and environment variables that are configuration keys the portal really reads.
/// </summary>
public sealed partial class DockerComposeTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    internal static readonly string Root = FindRoot();

    internal static YamlMappingNode Compose()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, "docker-compose.yml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    internal static YamlMappingNode Service(string name) => (YamlMappingNode)((YamlMappingNode)Compose()["services"])[name];

    internal static Dictionary<string, string> Environment(string service) =>
        ((YamlMappingNode)Service(service)["environment"]).Children.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);

    /// <summary>The ports published for <paramref name="service"/>: its own, or those of the service whose network it shares.</summary>
    internal static IReadOnlyList<string> PublishedPorts(string service)
    {
        var definition = Service(service);
        var owner = definition.Children.TryGetValue("network_mode", out var mode) && mode.ToString().StartsWith("service:", StringComparison.Ordinal)
            ? Service(mode.ToString()["service:".Length..])
            : definition;
        return ((YamlSequenceNode)owner["ports"]).Children.Select(p => p.ToString()).ToList();
    }

    [Fact]
    public void The_stack_is_postgres_keycloak_and_the_portal_which_waits_for_both_to_be_healthy()
    {
        var services = ((YamlMappingNode)Compose()["services"]).Children.Keys.Select(k => k.ToString()).ToList();

        Assert.Equal(["postgres", "keycloak", "portal"], services);
        Assert.StartsWith("postgres:", Service("postgres")["image"].ToString(), StringComparison.Ordinal);
        Assert.Contains("pg_isready", ((YamlSequenceNode)((YamlMappingNode)Service("postgres")["healthcheck"])["test"]).Children.Last().ToString(), StringComparison.Ordinal);
        // A pinned release, not latest.
        Assert.Matches(@"^quay\.io/keycloak/keycloak:\d+\.\d+\.\d+$", Service("keycloak")["image"].ToString());
        Assert.Contains("/health/ready", ((YamlSequenceNode)((YamlMappingNode)Service("keycloak")["healthcheck"])["test"]).Children.Last().ToString(), StringComparison.Ordinal);
        foreach (var dependency in new[] { "postgres", "keycloak" })
        {
            var dependsOn = (YamlMappingNode)((YamlMappingNode)Service("portal")["depends_on"])[dependency];
            Assert.Equal("service_healthy", dependsOn["condition"].ToString());
        }
    }

    [Fact]
    public void Every_portal_environment_variable_is_a_configuration_key_the_app_declares()
    {
        var declared = ConfigurationKeys(JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "src/ReviewPortal.Web/appsettings.json"))).RootElement, prefix: null);
        var environment = Environment("portal");

        Assert.Contains("ConnectionStrings__Portal", environment.Keys);
        Assert.Contains("Ingest__ApiKey", environment.Keys);
        // The provider list has no keys in appsettings.json: KeycloakRealmTests binds those to the settings class instead,
        // refusing any key it does not have.
        foreach (var key in environment.Keys.Where(k => !k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) && !k.StartsWith("Authentication__Oidc__", StringComparison.Ordinal)))
        {
            Assert.Contains(key.Replace("__", ":", StringComparison.Ordinal), declared);
        }
    }

    [Fact]
    public void The_key_encryption_certificate_is_kept_on_the_mounted_volume_and_the_image_seeds_no_demo()
    {
        var environment = Environment("portal");
        var certificate = environment[KeyEncryptionCertificate.PathKey.Replace(":", "__", StringComparison.Ordinal)];
        var mounts = ((YamlSequenceNode)Service("portal")["volumes"]).Children.Select(v => v.ToString().Split(':', 2)[1]);

        Assert.Contains(mounts, mount => certificate.StartsWith(mount + "/", StringComparison.Ordinal));
        Assert.DoesNotContain(environment.Keys, key => key.StartsWith("Demo__", StringComparison.Ordinal));
        // The image restores and publishes the portal's project only, which does not reference the demo.
        var builds = File.ReadAllLines(Path.Combine(Root, "Dockerfile")).Where(line => line.Contains("dotnet restore", StringComparison.Ordinal) || line.Contains("dotnet publish", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, builds.Count);
        Assert.All(builds, line => Assert.Contains("src/ReviewPortal.Web/ReviewPortal.Web.csproj", line, StringComparison.Ordinal));
    }

    [Fact]
    public void The_portal_connection_string_points_at_the_postgres_service_and_its_database()
    {
        var postgres = Environment("postgres");
        var connection = Environment("portal")["ConnectionStrings__Portal"];

        Assert.Contains("Host=postgres;", connection, StringComparison.Ordinal);
        Assert.Contains($"Database={postgres["POSTGRES_DB"]};", connection, StringComparison.Ordinal);
        Assert.Contains($"Username={postgres["POSTGRES_USER"]};", connection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_health_check_probes_a_path_the_portal_answers_the_way_the_check_expects()
    {
        var command = ((YamlSequenceNode)((YamlMappingNode)Service("portal")["healthcheck"])["test"]).Children.Last().ToString();
        var match = HealthProbe().Match(command);
        Assert.True(match.Success, command);
        using var client = fixture.Factory.CreateClient();

        var body = await client.GetStringAsync(match.Groups["path"].Value);

        Assert.Contains(match.Groups["expected"].Value, body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dockerfile_runs_the_web_assembly_on_the_port_compose_publishes()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        // Keycloak's own port is published next to the portal's (they share a network namespace).
        var keycloakPort = Environment("keycloak")["KC_HTTP_PORT"];
        var published = Assert.Single(PublishedPorts("portal"), port => port.Split(':').Last() != keycloakPort);
        var containerPort = published.Split(':').Last();

        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{typeof(Program).Assembly.GetName().Name}.dll\"]", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"EXPOSE {containerPort}", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"ASPNETCORE_HTTP_PORTS={containerPort}", dockerfile, StringComparison.Ordinal);
        Assert.Contains("src/ReviewPortal.Web/ReviewPortal.Web.csproj", dockerfile, StringComparison.Ordinal);
    }

    private static HashSet<string> ConfigurationKeys(JsonElement element, string? prefix)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            var key = prefix is null ? property.Name : $"{prefix}:{property.Name}";
            keys.Add(key);
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                keys.UnionWith(ConfigurationKeys(property.Value, key));
            }
        }

        return keys;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReviewPortal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ReviewPortal.sln not found above the test output.");
    }

    [GeneratedRegex(@"GET (?<path>/\S*) HTTP.*grep -q (?<expected>\w+)", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HealthProbe();
}
