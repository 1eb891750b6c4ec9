namespace ReviewPortal.Web.Features.Account.SingleSignOn;

/// <summary><c>Authentication:Oidc</c>: the OpenID Connect providers people sign in with (none: local accounts only).</summary>
public sealed class SingleSignOnSettings
{
    public const string Section = "Authentication:Oidc";

    public List<OidcProviderSettings> Providers { get; set; } = [];

    /// <summary>How often a live session's groups are read again from its provider (refresh token, then userinfo).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(15);

    internal IEnumerable<string> Problems()
    {
        if (RefreshInterval < TimeSpan.FromSeconds(1) || RefreshInterval > TimeSpan.FromDays(1))
        {
            yield return $"{Section}:RefreshInterval must be between one second and one day.";
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Providers.Count; i++)
        {
            var provider = Providers[i];
            var key = $"{Section}:Providers:{i}";
            if (string.IsNullOrWhiteSpace(provider.Name) || !provider.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                yield return $"{key}:Name is required: letters, digits, '-' and '_' (it names the callback path).";
            }
            else if (!names.Add(provider.Name))
            {
                yield return $"{key}:Name '{provider.Name}' is used by another provider.";
            }

            if (!Uri.TryCreate(provider.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
            {
                yield return $"{key}:Authority must be the provider's absolute issuer URL.";
            }
            else if (authority.Scheme == "http" && !authority.IsLoopback)
            {
                yield return $"{key}:Authority must use https (http is accepted for a provider on this host only).";
            }

            if (string.IsNullOrWhiteSpace(provider.ClientId))
            {
                yield return $"{key}:ClientId is required.";
            }
        }
    }
}

/// <summary>One OpenID Connect provider and how its groups become portal roles.</summary>
public sealed class OidcProviderSettings
{
    /// <summary>Short name: the authentication scheme is <c>oidc-{Name}</c> and the callback <c>/signin-oidc-{Name}</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>What the sign-in button says ("Sign in with ...").</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>The issuer URL; its discovery document is read from <c>/.well-known/openid-configuration</c>.</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string? ClientSecret { get; set; }

    /// <summary>What <see cref="Scopes"/> left empty asks for.</summary>
    public static readonly IReadOnlyList<string> DefaultScopes = ["email", "groups", "offline_access"];

    /// <summary>
    /// Scopes besides <c>openid</c> and <c>profile</c>; empty: <see cref="DefaultScopes"/>. Empty rather than holding the
    /// defaults, because configuration binding appends to a list's items: a provider that knows no <c>groups</c> scope
    /// could never drop it.
    /// </summary>
    public List<string> Scopes { get; set; } = [];

    public IReadOnlyList<string> RequestedScopes => Scopes.Count > 0 ? Scopes : DefaultScopes;

    /// <summary>The claim listing the person's groups (Entra ID and Okta: <c>groups</c>; Keycloak with a groups mapper: <c>groups</c>).</summary>
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>Provider group -> portal role (Reviewer, SecurityReviewer, Manager, Admin). Groups not listed give no role.</summary>
    public Dictionary<string, string> RoleMapping { get; set; } = new(StringComparer.Ordinal);

    public string SchemeName => $"oidc-{Name}";
}
