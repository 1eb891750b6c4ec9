using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.People;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Shared;

/// <summary>
/// Finds the person behind a principal as the database knows them now: the account, unless it is gone or locked out,
/// with its current roles. A principal is only a key into it: its role claims can be hours old.
/// </summary>
public sealed class ReviewerDirectory(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>The account id a signed-in principal names; null for anonymous callers and API clients.</summary>
    public static string? UserIdOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true && ApiClientPrincipal.NameOf(user) is null ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;
    }

    /// <summary>The signed-in person behind <paramref name="user"/>; null when nobody is signed in or the account is gone or locked out.</summary>
    public async Task<Reviewer?> FindAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        UserIdOf(user) is { } userId ? await FindAsync(userId, cancellationToken) : null;

    /// <summary>The account <paramref name="userId"/> with its current roles; null when it no longer exists or is locked out.</summary>
    public async Task<Reviewer?> FindAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.UserName, u.Email, u.DisplayName, u.ProviderGroups, u.LockoutEnabled, u.LockoutEnd })
            .FirstOrDefaultAsync(cancellationToken);
        if (account is null || (account.LockoutEnabled && account.LockoutEnd > clock.GetUtcNow()))
        {
            return null;
        }

        var roles = await db.UserRoles.Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(cancellationToken);
        return new Reviewer(account.Id, account.UserName ?? account.Id, account.Email, roles.ToHashSet(StringComparer.Ordinal), account.DisplayName)
        {
            ProviderGroups = account.ProviderGroups,
        };
    }

    /// <summary>
    /// Who <paramref name="user"/> is as a viewer of changes: the API client a key authenticated, or the signed-in
    /// person; null for anyone else.
    /// </summary>
    public async Task<ChangeViewer?> ViewerAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (ApiClientPrincipal.NameOf(user) is { } client)
        {
            return ChangeViewer.ForApiClient(client, ApiClientPrincipal.RepositoriesOf(user));
        }

        return await FindAsync(user, cancellationToken) is { } person ? ChangeViewer.ForPerson(person) : null;
    }
}
