using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Review;

public enum ReviewAccessResult
{
    Allowed,
    NotFound,
    Denied,
}

/// <summary>
/// The one question the review page asks before it loads anything of a change: may this user see it? The page
/// calls it first and loads nothing else when the answer is not <see cref="ReviewAccessResult.Allowed"/>.
/// </summary>
public interface IReviewAccess
{
    Task<ReviewAccessResult> CheckAsync(ClaimsPrincipal user, long changeId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Tier 4 (critical) changes only for security reviewers; the rest for every signed-in user. Reads nothing of the
/// change but its tier. The queue's visibility service (issue 4, point 1) is the rule's real home: at merge this
/// seam is wired to it (one registration in <see cref="ReviewExtensions"/>).
/// </summary>
public sealed class TierReviewAccess(IDbContextFactory<PortalDbContext> dbFactory) : IReviewAccess
{
    public async Task<ReviewAccessResult> CheckAsync(ClaimsPrincipal user, long changeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return ReviewAccessResult.Denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tier = await db.Changes.AsNoTracking().Where(c => c.Id == changeId).Select(c => (RiskTier?)c.Tier).FirstOrDefaultAsync(cancellationToken);
        return tier switch
        {
            null => ReviewAccessResult.NotFound,
            RiskTier.Critical when !user.IsInRole(PortalRoles.SecurityReviewer) => ReviewAccessResult.Denied,
            _ => ReviewAccessResult.Allowed,
        };
    }
}
