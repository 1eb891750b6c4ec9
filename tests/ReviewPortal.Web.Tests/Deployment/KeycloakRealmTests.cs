using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Web.Features.Account.SingleSignOn;

namespace ReviewPortal.Web.Tests.Deployment;

/// <summary>
/// Keycloak in docker-compose.yml cannot run here either, so its realm file is held to the portal's provider settings
/// in the same compose file, and its people to the development identity provider's: the client, its callbacks, the
/// scopes the portal asks for, the groups claim, and groups that really give the roles.
/// </summary>
public sealed partial class KeycloakRealmTests
{
    private const string RealmFile = "docs/keycloak/reviewportal-realm.json";
    private const string Provider = $"{SingleSignOnSettings.Section}:Providers:0";

    private static JsonElement Realm() => JsonDocument.Parse(File.ReadAllText(Path.Combine(DockerComposeTests.Root, RealmFile))).RootElement;

    /// <summary>The portal's provider settings as the portal reads them from the compose file (with compose's defaults).</summary>
    private static IConfiguration PortalProviderConfiguration() =>
        new ConfigurationBuilder().AddInMemoryCollection(DockerComposeTests.Environment("portal")
            .Where(e => e.Key.StartsWith("Authentication__Oidc__", StringComparison.Ordinal))
            .Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)WithComposeDefaults(e.Value)))).Build();

    private static OidcProviderSettings PortalProvider() =>
        Assert.Single(PortalProviderConfiguration().GetSection(SingleSignOnSettings.Section).Get<SingleSignOnSettings>(o => o.ErrorOnUnknownConfiguration = true)!.Providers);

    private static JsonElement PortalClient(OidcProviderSettings provider) =>
        Assert.Single(Realm().GetProperty("clients").EnumerateArray(), c => c.GetProperty("clientId").GetString() == provider.ClientId);

    private static string WithComposeDefaults(string value) => ComposeVariable().Replace(value, m => m.Groups["default"].Value);

    private static IEnumerable<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!);

    [Fact]
    public void The_realm_holds_the_development_providers_people_with_their_groups_and_password()
    {
        using var people = JsonDocument.Parse(File.ReadAllText(Path.Combine(DockerComposeTests.Root, "src/ReviewPortal.DevIdentityProvider/people.demo.json")));
        var expected = people.RootElement.EnumerateArray()
            .Select(p => (Username: p.GetProperty("email").GetString()!, Name: p.GetProperty("name").GetString()!, Password: p.GetProperty("password").GetString()!,
                Groups: string.Join(",", Strings(p.GetProperty("groups")).Order(StringComparer.Ordinal))))
            .OrderBy(p => p.Username, StringComparer.Ordinal).ToList();

        var users = Realm().GetProperty("users").EnumerateArray()
            .Select(u => (Username: u.GetProperty("username").GetString()!, Name: $"{u.GetProperty("firstName").GetString()} {u.GetProperty("lastName").GetString()}",
                Password: Assert.Single(u.GetProperty("credentials").EnumerateArray(), c => c.GetProperty("type").GetString() == "password").GetProperty("value").GetString()!,
                Groups: string.Join(",", Strings(u.GetProperty("groups")).Select(g => g.TrimStart('/')).Order(StringComparer.Ordinal))))
            .OrderBy(u => u.Username, StringComparer.Ordinal).ToList();

        Assert.Equal(8, expected.Count);
        Assert.Equal(expected, users);
        Assert.All(Realm().GetProperty("users").EnumerateArray(), u =>
        {
            Assert.Equal(u.GetProperty("username").GetString(), u.GetProperty("email").GetString());
            Assert.True(u.GetProperty("emailVerified").GetBoolean());
            Assert.False(Assert.Single(u.GetProperty("credentials").EnumerateArray()).GetProperty("temporary").GetBoolean());
        });
    }

    [Fact]
    public void Every_group_of_the_realms_people_exists_and_each_one_the_portal_maps_gives_a_known_role()
    {
        var realm = Realm();
        var groups = realm.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()!).ToHashSet(StringComparer.Ordinal);
        var memberships = realm.GetProperty("users").EnumerateArray().SelectMany(u => Strings(u.GetProperty("groups"))).ToList();
        var mapping = PortalProvider().RoleMapping;

        // Keycloak names a group by its path; a membership of a group that is not defined fails the import.
        Assert.All(memberships, path => Assert.Contains(path.TrimStart('/'), groups));
        Assert.All(mapping.Keys, group => Assert.Contains(group, groups));
        Assert.All(mapping.Values, role => Assert.Contains(role, PortalRoles.All));
        // Every person gets a role: the demo works the same signed in through Keycloak.
        Assert.All(realm.GetProperty("users").EnumerateArray(), u =>
            Assert.NotEmpty(SingleSignOnAccounts.RolesFor(Strings(u.GetProperty("groups")).Select(g => g.TrimStart('/')), mapping)));
        Assert.Equal(PortalRoles.SecurityReviewer, mapping["security-reviewers"]);
        Assert.Equal(PortalRoles.Admin, mapping["portal-admins"]);
    }

    [Fact]
    public void The_portal_client_is_confidential_with_pkce_and_the_secret_and_callbacks_the_portal_uses()
    {
        var provider = PortalProvider();
        var client = PortalClient(provider);
        var portal = new Uri($"http://localhost:{PortalPublishedPort()}");
        // The realm file reads the secret from Keycloak's environment, which compose gives the same value as the portal.
        var secretVariable = Assert.Single(ComposeVariable().Matches(client.GetProperty("secret").GetString()!).Cast<Match>()).Groups["name"].Value;

        Assert.Equal(provider.ClientSecret, WithComposeDefaults(DockerComposeTests.Environment("keycloak")[secretVariable]));
        Assert.False(string.IsNullOrEmpty(provider.ClientSecret));
        Assert.False(client.GetProperty("publicClient").GetBoolean());
        Assert.True(client.GetProperty("standardFlowEnabled").GetBoolean());
        Assert.False(client.GetProperty("implicitFlowEnabled").GetBoolean());
        Assert.False(client.GetProperty("directAccessGrantsEnabled").GetBoolean());
        Assert.Equal([new Uri(portal, $"/signin-oidc-{provider.Name}").ToString()], Strings(client.GetProperty("redirectUris")));
        var attributes = client.GetProperty("attributes");
        Assert.Equal("S256", attributes.GetProperty("pkce.code.challenge.method").GetString());
        Assert.Equal(new Uri(portal, $"/signout-callback-oidc-{provider.Name}").ToString(), attributes.GetProperty("post.logout.redirect.uris").GetString());
    }

    [Fact]
    public void Every_scope_the_portal_asks_for_is_offered_to_its_client_and_the_groups_scope_puts_the_groups_claim_in_the_id_token_and_userinfo()
    {
        var provider = PortalProvider();
        var realm = Realm();
        var client = PortalClient(provider);
        var scopes = realm.GetProperty("clientScopes").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, StringComparer.Ordinal);
        var offered = Strings(client.GetProperty("defaultClientScopes")).Concat(Strings(client.GetProperty("optionalClientScopes"))).ToList();

        // Keycloak refuses an authorization request that names a scope the client does not have (invalid_scope).
        Assert.All(new[] { "profile" }.Concat(provider.RequestedScopes), scope =>
        {
            Assert.Contains(scope, offered);
            Assert.Contains(scope, scopes.Keys);
        });
        Assert.Contains("offline_access", offered);
        Assert.Contains("basic", Strings(client.GetProperty("defaultClientScopes")));
        var groupsMapper = Assert.Single(scopes["groups"].GetProperty("protocolMappers").EnumerateArray(), m => m.GetProperty("protocolMapper").GetString() == "oidc-group-membership-mapper");
        var config = groupsMapper.GetProperty("config");
        Assert.Equal(provider.GroupsClaim, config.GetProperty("claim.name").GetString());
        // Names, not paths: the portal's role mapping is keyed on "reviewers", not "/reviewers".
        Assert.Equal("false", config.GetProperty("full.path").GetString());
        Assert.Equal("true", config.GetProperty("id.token.claim").GetString());
        Assert.Equal("true", config.GetProperty("userinfo.token.claim").GetString());
        var subject = Assert.Single(scopes["basic"].GetProperty("protocolMappers").EnumerateArray(), m => m.GetProperty("protocolMapper").GetString() == "oidc-sub-mapper");
        Assert.NotNull(subject.GetProperty("name").GetString());
        Assert.All(realm.GetProperty("users").EnumerateArray(), u => Assert.Contains("offline_access", Strings(u.GetProperty("realmRoles"))));
    }

    [Fact]
    public void The_authority_is_keycloaks_issuer_for_the_realm_on_a_loopback_address_the_portal_and_the_browser_share()
    {
        var provider = PortalProvider();
        var keycloak = DockerComposeTests.Environment("keycloak");
        var authority = new Uri(provider.Authority);

        Assert.Equal($"{keycloak["KC_HOSTNAME"].TrimEnd('/')}/realms/{Realm().GetProperty("realm").GetString()}", provider.Authority);
        Assert.True(authority.IsLoopback);
        Assert.Equal(keycloak["KC_HTTP_PORT"], authority.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains($"{keycloak["KC_HTTP_PORT"]}:{keycloak["KC_HTTP_PORT"]}", DockerComposeTests.PublishedPorts("keycloak"));
        // Inside the portal's container localhost is Keycloak only because the two share Keycloak's network namespace.
        Assert.Equal("service:keycloak", DockerComposeTests.Service("portal")["network_mode"].ToString());
        var realmFile = Assert.Single(((YamlDotNet.RepresentationModel.YamlSequenceNode)DockerComposeTests.Service("keycloak")["volumes"]).Children, v => v.ToString().StartsWith("./", StringComparison.Ordinal)).ToString();
        Assert.StartsWith($"./{RealmFile}:/opt/keycloak/data/import/", realmFile, StringComparison.Ordinal);
        Assert.Contains("--import-realm", ((YamlDotNet.RepresentationModel.YamlSequenceNode)DockerComposeTests.Service("keycloak")["command"]).Children.Select(c => c.ToString()));
    }

    [Fact]
    public void The_compose_provider_settings_bind_to_the_settings_class_and_pass_the_portals_validation()
    {
        var configuration = PortalProviderConfiguration();
        var services = new ServiceCollection().AddSingleton(configuration).AddLogging();
        services.AddPortalSingleSignOn(configuration);
        using var provider = services.BuildServiceProvider();

        // Value runs the validators the portal runs at start-up; a problem throws, naming the key.
        var settings = provider.GetRequiredService<IOptions<SingleSignOnSettings>>().Value;

        var keycloak = Assert.Single(settings.Providers);
        Assert.Equal("keycloak", keycloak.Name);
        Assert.Equal(configuration[$"{Provider}:ClientId"], keycloak.ClientId);
        Assert.Equal(5, keycloak.RoleMapping.Count);
        Assert.Equal(PortalProvider().RoleMapping, keycloak.RoleMapping);
    }

    private static string PortalPublishedPort()
    {
        var keycloakPort = DockerComposeTests.Environment("keycloak")["KC_HTTP_PORT"];
        return Assert.Single(DockerComposeTests.PublishedPorts("portal"), p => p.Split(':').Last() != keycloakPort).Split(':')[0];
    }

    /// <summary>A compose <c>${NAME:-default}</c> or a realm file's <c>${NAME}</c> placeholder.</summary>
    [GeneratedRegex(@"\$\{(?<name>[A-Z0-9_]+)(:-(?<default>[^}]*))?\}", RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ComposeVariable();
}
