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
/// creates the account; every sign-in sets its roles from the provider's groups through the configured mapping, and
/// keeps the groups themselves for approval quorums.
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

        IReadOnlyList<string> roles = [.. RolesFor(identity.Groups, provider.RoleMapping).Except(user.RevokedRoles, StringComparer.Ordinal)];
        if (await ApplyProviderGroupsAsync(user, identity.Groups, provider) is null)
        {
            return new SingleSignOnResult(null, created, roles, "Your groups could not be updated, so you were not signed in. Try again, or ask an administrator to look at the portal's log.");
        }

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

    /// <summary>
    /// Keeps the provider's <paramref name="groups"/> on the account, as approval quorums count them ("one from legal"):
    /// the one place they are written, at sign-in and whenever they are read from the provider again. False when they
    /// could not be stored (logged): the account then keeps no groups it may no longer hold unnoticed.
    /// </summary>
    public async Task<bool> ApplyGroupsAsync(PortalUser user, IEnumerable<string> groups)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(groups);
        List<string> current = [.. groups.Where(g => !string.IsNullOrWhiteSpace(g)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        if (user.ProviderGroups.SequenceEqual(current, StringComparer.Ordinal))
        {
            return true;
        }

        var before = user.ProviderGroups;
        user.ProviderGroups = current;
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            user.ProviderGroups = before;
            logger.LogError("The provider groups of {Name} could not be stored: {Errors}", user.DisplayName, Describe(result));
            return false;
        }

        logger.LogInformation("Provider groups of {Name} are now {Groups}.", user.DisplayName, current.Count == 0 ? "(none)" : string.Join(", ", current));
        return true;
    }

    /// <summary>
    /// What the provider says of <paramref name="user"/>'s <paramref name="groups"/> now, at a sign-in or a re-read
    /// while a session lives: the roles they map to and the groups quorums count. Returns what changed in the roles
    /// ("" when nothing did), or null when the groups could not be stored.
    /// </summary>
    public async Task<string?> ApplyProviderGroupsAsync(PortalUser user, IReadOnlyCollection<string> groups, OidcProviderSettings provider)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(provider);
        // A role an admin revoked in the portal stays revoked, whatever the groups say.
        var changed = await ApplyRolesAsync(user, [.. RolesFor(groups, provider.RoleMapping).Except(user.RevokedRoles, StringComparer.Ordinal)]);
        // Groups left from an earlier sign-in could count an approval for a group the person has left.
        return await ApplyGroupsAsync(user, groups) ? changed : null;
    }

    private async Task<string> ApplyRolesAsync(PortalUser user, IReadOnlyList<string> roles)
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

        if (removed.Count + added.Count == 0)
        {
            return "";
        }

        var change = $"added {(added.Count == 0 ? "none" : string.Join(", ", added))}, removed {(removed.Count == 0 ? "none" : string.Join(", ", removed))}";
        logger.LogInformation("Roles of {Name} changed from their provider's groups: {Change}.", user.DisplayName, change);
        return change;
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
