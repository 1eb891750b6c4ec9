using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Account;

/// <summary>
/// Keeps each open circuit's identity in step with the account, at <see cref="SessionRevalidationSettings.Interval"/>:
/// an account that is gone, locked out or whose sessions an admin ended (a new security stamp) is signed out of the
/// page; roles that changed replace the circuit's role claims, so menus, page authorization and
/// <see cref="Shared.CurrentReviewer"/> follow without a reload.
/// </summary>
public sealed class PortalAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    IOptions<IdentityOptions> identityOptions,
    IOptions<SessionRevalidationSettings> settings)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<PortalAuthenticationStateProvider>();

    protected override TimeSpan RevalidationInterval => settings.Value.Interval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        var principal = authenticationState.User;
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.GetUserAsync(principal);
        if (user is null || await users.IsLockedOutAsync(user) || !await StampMatchesAsync(users, user, principal))
        {
            _logger.LogInformation("An open session of {User} ended: the account is gone, locked out, or its sessions were ended.", principal.Identity?.Name);
            return false;
        }

        var roles = (await users.GetRolesAsync(user)).ToHashSet(StringComparer.Ordinal);
        var roleType = identityOptions.Value.ClaimsIdentity.RoleClaimType;
        var held = principal.FindAll(roleType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        if (!held.SetEquals(roles))
        {
            _logger.LogInformation("The roles of {User}'s open session follow the account: {Roles}.", principal.Identity?.Name, string.Join(", ", roles.Order(StringComparer.Ordinal)));
            SetAuthenticationState(Task.FromResult(new AuthenticationState(WithRoles(principal, roles, roleType))));
        }

        return true;
    }

    private async Task<bool> StampMatchesAsync(UserManager<PortalUser> users, PortalUser user, ClaimsPrincipal principal)
    {
        if (!users.SupportsUserSecurityStamp)
        {
            return true;
        }

        var held = principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType);
        return string.Equals(held, await users.GetSecurityStampAsync(user), StringComparison.Ordinal);
    }

    /// <summary>The same identity with <paramref name="roles"/> as its role claims; every other claim (SSO issuer, auth_time...) kept.</summary>
    public static ClaimsPrincipal WithRoles(ClaimsPrincipal principal, IEnumerable<string> roles, string roleType)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var identity = principal.Identity as ClaimsIdentity ?? throw new InvalidOperationException("The principal has no claims identity.");
        var updated = new ClaimsIdentity(identity.Claims.Where(c => c.Type != roleType), identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType);
        updated.AddClaims(roles.Select(r => new Claim(roleType, r)));
        return new ClaimsPrincipal(updated);
    }
}
