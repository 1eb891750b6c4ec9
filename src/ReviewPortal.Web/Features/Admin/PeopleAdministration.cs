using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Account.SingleSignOn;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Features.Admin;

/// <summary>A role a person holds and where it came from: a group at their identity provider, or the portal itself.</summary>
public sealed record HeldRole(string Role, string Origin);

/// <summary>One person as the people page lists them.</summary>
public sealed record PersonSummary(
    string UserId,
    string Name,
    string UserName,
    string? Email,
    string SignsInWith,
    IReadOnlyList<HeldRole> Roles,
    IReadOnlyList<string> RevokedRoles,
    IReadOnlyList<string> ProviderGroups,
    int OpenProviderSessions);

/// <summary>
/// The people page's reads and an admin's actions on a person: taking a role away (it stays away, whatever the
/// provider's groups say, until allowed again), allowing it again, and ending every session. Open pages follow within
/// the revalidation interval; each action is a security event.
/// </summary>
public sealed class PeopleAdministration(
    IServiceScopeFactory scopes,
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptionsMonitor<SingleSignOnSettings> sso,
    ProviderSessions sessions,
    SecurityEventLog events)
{
    public async Task<List<PersonSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ThenBy(u => u.UserName).ToListAsync(cancellationToken);
        var roles = await db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, Role = r.Name! }).ToListAsync(cancellationToken);
        var logins = await db.UserLogins.Select(l => new { l.UserId, l.LoginProvider }).ToListAsync(cancellationToken);
        var open = await db.ProviderSessions.Where(s => s.EndedAt == null).GroupBy(s => s.UserId)
            .Select(g => new { UserId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.UserId, g => g.Count, StringComparer.Ordinal, cancellationToken);
        return [.. users.Select(u =>
        {
            var provider = logins.Where(l => l.UserId == u.Id).Select(l => ProviderOf(l.LoginProvider)).FirstOrDefault();
            var held = roles.Where(r => r.UserId == u.Id).Select(r => new HeldRole(r.Role, OriginOf(r.Role, u, provider))).OrderBy(r => r.Role, StringComparer.Ordinal).ToList();
            return new PersonSummary(u.Id, string.IsNullOrWhiteSpace(u.DisplayName) ? u.UserName ?? u.Id : u.DisplayName, u.UserName ?? u.Id, u.Email,
                provider?.DisplayName ?? "Local password", held, u.RevokedRoles, u.ProviderGroups, open.GetValueOrDefault(u.Id));
        })];
    }

    /// <summary>Takes <paramref name="role"/> away from the person; their provider's groups no longer give it back.</summary>
    public Task<string> RevokeRoleAsync(string userId, string role, string admin, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, admin, async (users, user) =>
        {
            if (!user.RevokedRoles.Contains(role, StringComparer.Ordinal))
            {
                user.RevokedRoles = [.. user.RevokedRoles, role];
                Check(await users.UpdateAsync(user));
            }

            if (await users.IsInRoleAsync(user, role))
            {
                Check(await users.RemoveFromRoleAsync(user, role));
            }

            return (SecurityEventKind.RolesChanged, $"{role} revoked by {admin}.");
        }, cancellationToken);

    /// <summary>Lifts a revocation: the role comes back from the person's provider groups at their next re-read or sign-in.</summary>
    public Task<string> AllowRoleAsync(string userId, string role, string admin, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, admin, async (users, user) =>
        {
            user.RevokedRoles = [.. user.RevokedRoles.Where(r => r != role)];
            Check(await users.UpdateAsync(user));
            return (SecurityEventKind.RolesChanged, $"{role} allowed again by {admin} (it returns with the provider's groups).");
        }, cancellationToken);

    /// <summary>Ends every session of the person: their cookie and open pages sign out at their next check.</summary>
    public Task<string> EndSessionsAsync(string userId, string admin, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, admin, async (users, user) =>
        {
            await sessions.EndAllAsync(user.Id, $"ended by {admin}", cancellationToken);
            Check(await users.UpdateSecurityStampAsync(user));
            return (SecurityEventKind.SessionsEnded, $"Every session ended by {admin}.");
        }, cancellationToken);

    private async Task<string> ChangeAsync(string userId, string admin, Func<UserManager<PortalUser>, PortalUser, Task<(SecurityEventKind Kind, string Detail)>> change, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException("That person's account no longer exists.");
        var (kind, detail) = await change(users, user);
        await events.RecordAsync(kind, user.DisplayName, user.Id, detail, null, cancellationToken);
        return detail;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    private OidcProviderSettings? ProviderOf(string issuer) =>
        sso.CurrentValue.Providers.FirstOrDefault(p => string.Equals(p.Authority.TrimEnd('/'), issuer.TrimEnd('/'), StringComparison.Ordinal));

    private static string OriginOf(string role, PortalUser user, OidcProviderSettings? provider)
    {
        var groups = provider is null ? [] : user.ProviderGroups.Where(g => provider.RoleMapping.TryGetValue(g, out var mapped) && mapped == role).ToList();
        return groups.Count > 0 ? $"group {string.Join(", ", groups)} at {provider!.DisplayName}" : "granted in the portal";
    }
}
