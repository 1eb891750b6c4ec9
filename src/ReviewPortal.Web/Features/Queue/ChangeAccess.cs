using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Queue;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Queue;

public enum ChangeAccessResult
{
    Allowed,

    /// <summary>
    /// The change does not exist, or the viewer may not see it (tier 4): the two answer alike, so that nobody learns
    /// which ids are hidden or how many there are. Show <see cref="Shared.ChangeNotFound"/> and none of the change's data.
    /// </summary>
    NotFound,
}

/// <summary>
/// Decides who may see a change. Pages and API endpoints call it before loading anything of a change; roles are read
/// from the database on every call, since a circuit's identity can be hours old and a role may have been taken away
/// since. A hidden change is answered as a missing one, and each such attempt is logged for the security team.
/// </summary>
public sealed class ChangeAccess(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<ChangeAccess> logger)
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

    /// <summary>
    /// The signed-in person behind <paramref name="user"/> with their current roles, or null when the account no
    /// longer exists, is locked out, or nobody is signed in.
    /// </summary>
    public async Task<PortalPerson?> PersonAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var userId = user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;
        if (userId is null)
        {
            return null;
        }

        return await PersonByIdAsync(userId, cancellationToken);
    }

    /// <summary>The account <paramref name="userId"/> with its current roles; null when it no longer exists or is locked out.</summary>
    public async Task<PortalPerson?> PersonByIdAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.UserName, u.Email, u.DisplayName, u.LockoutEnabled, u.LockoutEnd })
            .FirstOrDefaultAsync(cancellationToken);
        if (account is null || (account.LockoutEnabled && account.LockoutEnd > clock.GetUtcNow()))
        {
            return null;
        }

        var roles = await db.UserRoles.Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(cancellationToken);
        var userName = account.UserName ?? account.Id;
        return new PortalPerson(account.Id, userName, account.Email, string.IsNullOrWhiteSpace(account.DisplayName) ? userName : account.DisplayName, roles.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The viewer behind a signed-in <paramref name="user"/>; null as for <see cref="PersonAsync"/>.</summary>
    public async Task<QueueViewer?> ViewerAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        await PersonAsync(user, cancellationToken) is { } person ? QueueViewer.ForPerson(person) : null;

    /// <summary>Whether the signed-in <paramref name="user"/> may view change <paramref name="changeId"/> (an unknown or locked account may view none).</summary>
    public async Task<ChangeAccessResult> CheckAsync(ClaimsPrincipal user, long changeId, CancellationToken cancellationToken = default)
    {
        var viewer = await ViewerAsync(user, cancellationToken);
        if (viewer is null)
        {
            if (await FactsAsync(changeId, cancellationToken) is not null)
            {
                LogWithheld(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous", changeId, "the account does not exist or is locked out");
            }

            return ChangeAccessResult.NotFound;
        }

        return await CheckAsync(viewer, changeId, cancellationToken);
    }

    public async Task<ChangeAccessResult> CheckAsync(QueueViewer viewer, long changeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (await FactsAsync(changeId, cancellationToken) is not { } change)
        {
            return ChangeAccessResult.NotFound;
        }

        if (!viewer.MayUseRepository(change.Repository))
        {
            LogWithheld(viewer.Name, changeId, "repository not granted to the API client");
            return ChangeAccessResult.NotFound;
        }

        if (viewer.CanView(change.Tier, change.SubmittedBy))
        {
            return ChangeAccessResult.Allowed;
        }

        LogWithheld(viewer.Name, changeId, viewer.Person is null
            ? $"tier {(int)change.Tier}, submitted by another API client"
            : $"tier {(int)change.Tier}, and the user is not a security reviewer");
        return ChangeAccessResult.NotFound;
    }

    /// <summary>Whether <paramref name="viewer"/> may see change <paramref name="changeId"/> (false if it does not exist); not logged, for live updates.</summary>
    public async Task<bool> CanViewAsync(QueueViewer viewer, long changeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        return await FactsAsync(changeId, cancellationToken) is { } change && viewer.MayUseRepository(change.Repository) && viewer.CanView(change.Tier, change.SubmittedBy);
    }

    private async Task<(Domain.Risk.RiskTier Tier, string SubmittedBy, string Repository)?> FactsAsync(long changeId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var change = await db.Changes.AsNoTracking().Where(c => c.Id == changeId).Select(c => new { c.Tier, c.SubmittedBy, c.Repository }).FirstOrDefaultAsync(cancellationToken);
        return change is null ? null : (change.Tier, change.SubmittedBy, change.Repository);
    }

    // One entry per attempt, with the fields the security team filters on; the caller was told "not found".
    private void LogWithheld(string viewer, long changeId, string reason) =>
        logger.LogWarning("Change access denied: {Viewer} asked for change {ChangeId}, answered as not found ({Reason}).", viewer, changeId, reason);
}
