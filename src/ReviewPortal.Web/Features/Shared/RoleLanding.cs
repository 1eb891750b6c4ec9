using System.Security.Claims;
using ReviewPortal.Domain.Decisions;

namespace ReviewPortal.Web.Features.Shared;

/// <summary>Where each role's work is: the first page a person sees after signing in.</summary>
public static class RoleLanding
{
    public const string MyQueue = "/queue/mine";
    public const string SecurityQueue = "/queue/security";
    public const string AllChanges = "/queue/all";
    public const string Admin = "/admin";

    /// <summary>
    /// Security reviewers start on the tier-4 queue only they can clear, reviewers on their own queue, managers on every
    /// change, admins on the admin overview; a person with several roles starts where the scarcest of them is needed.
    /// </summary>
    public static string For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsInRole(PortalRoles.SecurityReviewer))
        {
            return SecurityQueue;
        }

        if (user.IsInRole(PortalRoles.Reviewer))
        {
            return MyQueue;
        }

        if (user.IsInRole(PortalRoles.Manager))
        {
            return AllChanges;
        }

        return user.IsInRole(PortalRoles.Admin) ? Admin : AllChanges;
    }
}
