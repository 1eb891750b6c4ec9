using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Queue;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Queue;

public enum ChangeAccessResult
{
    Allowed,

    /// <summary>The change exists and the viewer may not see it (tier 4): show the access-denied content and none of its data.</summary>
    Denied,
    NotFound,
}

/// <summary>
/// Decides who may see a change. Pages call it before loading anything of a change; roles are read from the
/// database on every call, since a circuit's identity can be hours old and a role may have been taken away since.
/// </summary>
public sealed class ChangeAccess(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
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
            return await ExistsAsync(changeId, cancellationToken) ? ChangeAccessResult.Denied : ChangeAccessResult.NotFound;
        }

        return await CheckAsync(viewer, changeId, cancellationToken);
    }

    public async Task<ChangeAccessResult> CheckAsync(QueueViewer viewer, long changeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var change = await db.Changes.AsNoTracking().Where(c => c.Id == changeId).Select(c => new { c.Tier, c.SubmittedBy }).FirstOrDefaultAsync(cancellationToken);
        return change is null ? ChangeAccessResult.NotFound
            : viewer.CanView(change.Tier, change.SubmittedBy) ? ChangeAccessResult.Allowed
            : ChangeAccessResult.Denied;
    }

    private async Task<bool> ExistsAsync(long changeId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Changes.AnyAsync(c => c.Id == changeId, cancellationToken);
    }
}
