using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Web.Features.Shared;

public enum ChangeAccessResult
{
    Allowed,

    /// <summary>
    /// The change does not exist, or the viewer may not see it (tier 4): the two answer alike, so that nobody learns
    /// which ids are hidden or how many there are. Show <see cref="ChangeNotFound"/> and none of the change's data.
    /// </summary>
    NotFound,
}

/// <summary>
/// Applies the visibility rule (<see cref="ChangeViewer.Visibility"/>) to one change in the database, for
/// <see cref="ChangeAuthorizationHandler"/> and for checks that already know their viewer. A hidden change is answered
/// as a missing one, and each such attempt is logged for the security team.
/// </summary>
public sealed class ChangeAccess(IDbContextFactory<PortalDbContext> dbFactory, ILogger<ChangeAccess> logger)
{
    /// <summary>What every refusal says about a change the caller may not see, hidden or missing alike.</summary>
    public const string NotFoundMessage = "The change does not exist, or you may not see it.";

    /// <summary>
    /// The API's answer for a change id the caller may not see, hidden or missing: one fixed body (no id, no trace id),
    /// byte for byte the same whichever it is.
    /// </summary>
    public static JsonHttpResult<ProblemDetails> NotFoundProblem() =>
        TypedResults.Json(new ProblemDetails
        {
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
            Title = "No such change.",
            Status = StatusCodes.Status404NotFound,
            Detail = NotFoundMessage,
        }, contentType: "application/problem+json", statusCode: StatusCodes.Status404NotFound);

    /// <summary>Whether <paramref name="viewer"/> may see change <paramref name="changeId"/>; a hidden change is logged, and answered as a missing one.</summary>
    public async Task<ChangeAccessResult> CheckAsync(ChangeViewer viewer, long changeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (await CanViewAsync(viewer, changeId, cancellationToken))
        {
            return ChangeAccessResult.Allowed;
        }

        if (await FactsAsync(changeId, cancellationToken) is { } change)
        {
            LogWithheld(viewer.Name, changeId, !viewer.MayUseRepository(change.Repository) ? "repository not granted to the API client"
                : viewer.Person is null ? $"tier {(int)change.Tier}, submitted by another API client"
                : $"tier {(int)change.Tier}, and the user is not a security reviewer");
        }

        return ChangeAccessResult.NotFound;
    }

    /// <summary>The answer for a caller who is nobody the portal knows now (signed out, account gone or locked): every change is missing.</summary>
    public async Task<ChangeAccessResult> RefuseUnknownAsync(string caller, long changeId, CancellationToken cancellationToken = default)
    {
        if (await FactsAsync(changeId, cancellationToken) is not null)
        {
            LogWithheld(caller, changeId, "the account does not exist or is locked out");
        }

        return ChangeAccessResult.NotFound;
    }

    /// <summary>Whether <paramref name="viewer"/> may see change <paramref name="changeId"/> (false if it does not exist); not logged, for live updates.</summary>
    public async Task<bool> CanViewAsync(ChangeViewer viewer, long changeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Changes.Where(c => c.Id == changeId).VisibleTo(viewer).AnyAsync(cancellationToken);
    }

    private async Task<(RiskTier Tier, string Repository)?> FactsAsync(long changeId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var change = await db.Changes.Where(c => c.Id == changeId).Select(c => new { c.Tier, c.Repository }).FirstOrDefaultAsync(cancellationToken);
        return change is null ? null : (change.Tier, change.Repository);
    }

    // One entry per attempt, with the fields the security team filters on; the caller was told "not found".
    private void LogWithheld(string viewer, long changeId, string reason) =>
        logger.LogWarning("Change access denied: {Viewer} asked for change {ChangeId}, answered as not found ({Reason}).", viewer, changeId, reason);
}
