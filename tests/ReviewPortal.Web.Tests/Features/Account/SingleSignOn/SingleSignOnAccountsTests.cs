using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Account.SingleSignOn;

namespace ReviewPortal.Web.Tests.Features.Account.SingleSignOn;

public sealed class SingleSignOnAccountsFixture : IAsyncLifetime
{
    public PortalFactory Factory { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        // The provider the tests sign in through is configured, so that the people page can name it as a role's origin.
        Factory = await PortalFactory.CreateAsync("ssoaccounts", settings: new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Authentication:Oidc:Providers:0:Name"] = "corp",
            ["Authentication:Oidc:Providers:0:DisplayName"] = "Corp SSO",
            ["Authentication:Oidc:Providers:0:Authority"] = "https://login.acme.test",
            ["Authentication:Oidc:Providers:0:ClientId"] = "reviewportal",
            ["Authentication:Oidc:Providers:0:RoleMapping:eng-reviewers"] = PortalRoles.Reviewer,
            ["Authentication:Oidc:Providers:0:RoleMapping:appsec"] = PortalRoles.SecurityReviewer,
        });
        _ = Factory.Services;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>Accounts for provider identities, on the portal's real Identity store and PostgreSQL.</summary>
public sealed class SingleSignOnAccountsTests(SingleSignOnAccountsFixture fixture) : IClassFixture<SingleSignOnAccountsFixture>
{
    private static readonly OidcProviderSettings Provider = new()
    {
        Name = "corp",
        DisplayName = "Corp SSO",
        Authority = "https://login.acme.test",
        ClientId = "reviewportal",
        RoleMapping = new(StringComparer.Ordinal)
        {
            ["eng-reviewers"] = PortalRoles.Reviewer,
            ["appsec"] = PortalRoles.SecurityReviewer,
            ["typo-group"] = "NoSuchRole",
        },
    };

    private async Task<(SingleSignOnResult Result, IList<string> Roles)> SignInAsync(ProviderIdentity identity)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<SingleSignOnAccounts>().SignInAsync(identity, Provider);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var stored = await users.FindByIdAsync(result.User!.Id);
        return (result, await users.GetRolesAsync(stored!));
    }

    private static ProviderIdentity Person(string subject, string email, params string[] groups) =>
        new("https://login.acme.test", subject, email, EmailVerified: true, $"Person {subject}", groups);

    [Fact]
    public async Task A_role_an_admin_revoked_stays_revoked_through_sign_ins_until_allowed_again()
    {
        var subject = $"sub-{Guid.NewGuid():N}";
        var first = await SignInAsync(Person(subject, "rev@acme.test", "eng-reviewers", "appsec"));
        Assert.Contains(PortalRoles.SecurityReviewer, first.Roles);
        var people = fixture.Factory.Services.GetRequiredService<Web.Features.Admin.PeopleAdministration>();

        await people.RevokeRoleAsync(first.Result.User!.Id, PortalRoles.SecurityReviewer, "Admin Ada");
        var listed = (await people.ListAsync()).Single(p => p.UserId == first.Result.User.Id);
        var again = await SignInAsync(Person(subject, "rev@acme.test", "eng-reviewers", "appsec"));

        Assert.Equal([PortalRoles.SecurityReviewer], listed.RevokedRoles);
        Assert.Equal([new Web.Features.Admin.HeldRole(PortalRoles.Reviewer, "group eng-reviewers at Corp SSO")], listed.Roles);
        Assert.Equal([PortalRoles.Reviewer], again.Roles);

        await people.AllowRoleAsync(first.Result.User.Id, PortalRoles.SecurityReviewer, "Admin Ada");
        var allowed = await SignInAsync(Person(subject, "rev@acme.test", "eng-reviewers", "appsec"));
        Assert.Equal([PortalRoles.Reviewer, PortalRoles.SecurityReviewer], allowed.Roles.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_first_sign_in_creates_the_account_and_the_next_finds_it_by_issuer_and_subject()
    {
        var subject = $"sub-{Guid.NewGuid():N}";
        var first = await SignInAsync(Person(subject, "ada@acme.test", "eng-reviewers"));
        // The provider now reports another email: the account is the same, because the subject is.
        var again = await SignInAsync(Person(subject, "ada.new@acme.test", "eng-reviewers"));

        Assert.True(first.Result.Created);
        Assert.False(again.Result.Created);
        Assert.Equal(first.Result.User!.Id, again.Result.User!.Id);
        var login = await LoginOfAsync(first.Result.User);
        Assert.Equal(("https://login.acme.test", subject), (login.LoginProvider, login.ProviderKey));
        Assert.Equal("ada.new@acme.test", again.Result.User.Email);
        Assert.Equal([PortalRoles.Reviewer], again.Roles);
    }

    [Fact]
    public async Task The_same_email_under_another_subject_or_issuer_is_another_person()
    {
        var email = $"shared-{Guid.NewGuid():N}@acme.test";
        var subject = $"sub-{Guid.NewGuid():N}";
        var one = await SignInAsync(Person(subject, email, "eng-reviewers"));
        var other = await SignInAsync(Person($"sub-{Guid.NewGuid():N}", email, "appsec"));
        var elsewhere = await SignInAsync(Person(subject, email) with { Issuer = "https://other-idp.acme.test" });

        Assert.NotEqual(one.Result.User!.Id, other.Result.User!.Id);
        Assert.NotEqual(one.Result.User.Id, elsewhere.Result.User!.Id);
        Assert.Equal([PortalRoles.SecurityReviewer], other.Roles);
        Assert.Empty(elsewhere.Roles);
    }

    [Fact]
    public async Task Roles_follow_the_groups_at_every_sign_in_and_unknown_groups_or_roles_give_none()
    {
        var subject = $"sub-{Guid.NewGuid():N}";
        var both = await SignInAsync(Person(subject, "sam@acme.test", "eng-reviewers", "appsec", "typo-group", "marketing"));
        var demoted = await SignInAsync(Person(subject, "sam@acme.test", "eng-reviewers"));
        var gone = await SignInAsync(Person(subject, "sam@acme.test"));

        Assert.Equal([PortalRoles.Reviewer, PortalRoles.SecurityReviewer], both.Roles.Order(StringComparer.Ordinal));
        Assert.Equal([PortalRoles.Reviewer], demoted.Roles);
        Assert.Empty(gone.Roles);
    }

    [Fact]
    public async Task The_provider_groups_are_kept_on_the_account_as_they_are_at_every_sign_in()
    {
        var subject = $"sub-{Guid.NewGuid():N}";
        var first = await SignInAsync(Person(subject, "lee@acme.test", "legal", "eng-reviewers", "legal"));
        var left = await SignInAsync(Person(subject, "lee@acme.test", "eng-reviewers"));

        Assert.Equal(["eng-reviewers", "legal"], first.Result.User!.ProviderGroups);
        Assert.Equal(["eng-reviewers"], await StoredGroupsAsync(left.Result.User!.Id));
    }

    private async Task<List<string>> StoredGroupsAsync(string userId)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByIdAsync(userId))!.ProviderGroups;
    }

    private async Task<UserLoginInfo> LoginOfAsync(PortalUser user)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        return Assert.Single(await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().GetLoginsAsync(user));
    }
}

public sealed class SingleSignOnSettingsTests
{
    [Fact]
    public async Task Providers_with_a_missing_client_a_plain_http_remote_authority_or_a_repeated_name_stop_the_start()
    {
        await using var factory = await PortalFactory.CreateAsync("ssosettings", settings: new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Authentication:Oidc:Providers:0:Name"] = "corp",
            ["Authentication:Oidc:Providers:0:Authority"] = "http://login.acme.test",
            ["Authentication:Oidc:Providers:0:ClientId"] = "reviewportal",
            ["Authentication:Oidc:Providers:1:Name"] = "corp",
            ["Authentication:Oidc:Providers:1:Authority"] = "https://login.acme.test",
        });

        var error = Assert.ThrowsAny<Microsoft.Extensions.Options.OptionsValidationException>(() => factory.Services);

        Assert.Contains("Authentication:Oidc:Providers:0:Authority must use https (http is accepted for a provider on this host only).", error.Failures);
        Assert.Contains("Authentication:Oidc:Providers:1:Name 'corp' is used by another provider.", error.Failures);
        Assert.Contains("Authentication:Oidc:Providers:1:ClientId is required.", error.Failures);
    }

    [Fact]
    public void Configured_scopes_replace_the_default_ones_which_apply_only_when_none_are_set()
    {
        static OidcProviderSettings Bound(params string[] scopes) =>
            new ConfigurationBuilder()
                .AddInMemoryCollection(scopes.Select((scope, i) => KeyValuePair.Create($"Scopes:{i}", (string?)scope)))
                .Build().Get<OidcProviderSettings>() ?? new OidcProviderSettings();

        Assert.Equal(["email", "offline_access"], Bound("email", "offline_access").RequestedScopes);
        Assert.Equal(["email", "groups", "offline_access"], Bound().RequestedScopes);
    }

    [Fact]
    public void Groups_map_to_known_roles_only_each_once()
    {
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal) { ["a"] = PortalRoles.Reviewer, ["b"] = PortalRoles.Reviewer, ["c"] = "Root" };

        Assert.Equal([PortalRoles.Reviewer], SingleSignOnAccounts.RolesFor(["a", "b", "c", "d"], mapping));
    }
}
