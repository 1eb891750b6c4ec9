using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Components.Layout;

/// <summary>The colour scheme each person chose, kept on their account so it follows them to any browser.</summary>
public sealed class ThemePreferences(IDbContextFactory<PortalDbContext> dbFactory)
{
    public static string? UserIdOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    public async Task<ColourScheme> SchemeAsync(string? userId, CancellationToken cancellationToken = default)
    {
        if (userId is null)
        {
            return ColourScheme.System;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => (ColourScheme?)u.ColourScheme).FirstOrDefaultAsync(cancellationToken) ?? ColourScheme.System;
    }

    public async Task SetSchemeAsync(string userId, ColourScheme scheme, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(set => set.SetProperty(u => u.ColourScheme, scheme), cancellationToken);
    }
}
