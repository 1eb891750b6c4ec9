using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Account;

/// <summary>
/// The signed-in principal with the person's display name beside the account name: an SSO account's name is an
/// opaque key (<c>sso-...</c>), which is no way to greet anyone.
/// </summary>
public sealed class PortalClaimsPrincipalFactory(UserManager<PortalUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PortalUser, IdentityRole>(users, roles, options)
{
    public const string DisplayNameClaim = "display_name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayNameClaim, string.IsNullOrWhiteSpace(user.DisplayName) ? user.UserName ?? user.Id : user.DisplayName));
        return identity;
    }

    /// <summary>The name to show for <paramref name="user"/>: the display name, or the account name of an older sign-in.</summary>
    public static string? DisplayNameOf(ClaimsPrincipal user) => user?.FindFirst(DisplayNameClaim)?.Value ?? user?.Identity?.Name;
}
