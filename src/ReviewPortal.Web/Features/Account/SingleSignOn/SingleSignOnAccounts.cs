using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Account.SingleSignOn;

/// <summary>What a sign-in through a provider came to.</summary>
public sealed record SingleSignOnResult(PortalUser? User, bool Created, IReadOnlyList<string> Roles, string? Refusal);

/// <summary>
/// Portal accounts for provider identities. An account is found by its (issuer, subject) login and by nothing else:
/// never by email, which a provider lets people change and which two providers may both claim. The first sign-in
/// creates the account; every sign-in sets its roles from the provider's groups through the configured mapping.
/// </summary>
public sealed class SingleSignOnAccounts(UserManager<PortalUser> users, ILogger<SingleSignOnAccounts> logger)
{
    public async Task<SingleSignOnResult> SignInAsync(ProviderIdentity identity, OidcProviderSettings provider)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(provider);
        var user = await users.FindByLoginAsync(identity.Issuer, identity.Subject);
        var created = false;
        if (user is null)
        {
            user = new PortalUser
            {
                UserName = AccountNameFor(identity),
                Email = identity.Email,
                EmailConfirmed = identity.EmailVerified,
                DisplayName = DisplayNameOf(identity),
            };
            var result = await users.CreateAsync(user);
            if (result.Succeeded)
            {
                result = await users.AddLoginAsync(user, new UserLoginInfo(identity.Issuer, identity.Subject, provider.DisplayName));
            }

            if (!result.Succeeded)
            {
                logger.LogError("The account for {Issuer} {Subject} could not be created: {Errors}", identity.Issuer, identity.Subject, Describe(result));
                return new SingleSignOnResult(null, false, [], "Your account could not be created. Ask an administrator to look at the portal's log.");
            }

            created = true;
        }
        else if (user.DisplayName != DisplayNameOf(identity) || user.Email != identity.Email || user.EmailConfirmed != identity.EmailVerified)
        {
            user.DisplayName = DisplayNameOf(identity);
            user.Email = identity.Email;
            user.EmailConfirmed = identity.EmailVerified;
            await users.UpdateAsync(user);
        }

        var roles = RolesFor(identity.Groups, provider.RoleMapping);
        await ApplyRolesAsync(user, roles);
        logger.LogInformation("{Name} ({Issuer} {Subject}) signed in through {Provider} with roles {Roles}{Created}.",
            user.DisplayName, identity.Issuer, identity.Subject, provider.Name, roles.Count == 0 ? "(none)" : string.Join(", ", roles), created ? "; account created" : "");
        return new SingleSignOnResult(user, created, roles, null);
    }

    /// <summary>The portal roles the mapping gives <paramref name="groups"/>; unknown groups and unknown role names give none.</summary>
    public static IReadOnlyList<string> RolesFor(IEnumerable<string> groups, IReadOnlyDictionary<string, string> mapping) =>
        [.. groups.Select(g => mapping.TryGetValue(g, out var role) ? role : null)
            .OfType<string>()
            .Where(role => PortalRoles.All.Contains(role, StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    private async Task ApplyRolesAsync(PortalUser user, IReadOnlyList<string> roles)
    {
        var current = await users.GetRolesAsync(user);
        var removed = current.Except(roles, StringComparer.Ordinal).ToList();
        var added = roles.Except(current, StringComparer.Ordinal).ToList();
        if (removed.Count > 0)
        {
            await users.RemoveFromRolesAsync(user, removed);
        }

        if (added.Count > 0)
        {
            await users.AddToRolesAsync(user, added);
        }

        if (removed.Count + added.Count > 0)
        {
            logger.LogInformation("Roles of {Name} changed at sign-in: added {Added}, removed {Removed}.", user.DisplayName,
                added.Count == 0 ? "none" : string.Join(", ", added), removed.Count == 0 ? "none" : string.Join(", ", removed));
        }
    }

    private static string DisplayNameOf(ProviderIdentity identity) => identity.Name ?? identity.Email ?? identity.Subject;

    // Unique and stable per (issuer, subject), readable in logs; it is never used to find the account.
    private static string AccountNameFor(ProviderIdentity identity)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{identity.Issuer}\n{identity.Subject}")))[..12];
        return $"sso-{hash}";
    }

    private static string Describe(IdentityResult result) => string.Join("; ", result.Errors.Select(e => e.Description));
}
