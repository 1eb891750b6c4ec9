using Microsoft.EntityFrameworkCore;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Review;

/// <summary>A reviewer's own state on the review page: "viewed" marks per file of a revision, and the diff mode.</summary>
public sealed class ReviewPreferences(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public async Task<DiffViewMode> DiffModeAsync(string? userId, CancellationToken cancellationToken = default)
    {
        if (userId is null)
        {
            return DiffViewMode.SideBySide;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => (DiffViewMode?)u.DiffViewMode).FirstOrDefaultAsync(cancellationToken) ?? DiffViewMode.SideBySide;
    }

    public async Task SetDiffModeAsync(string userId, DiffViewMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(set => set.SetProperty(u => u.DiffViewMode, mode), cancellationToken);
    }

    /// <summary>Marks or unmarks one file of one revision as viewed by <paramref name="userId"/>; repeating either is harmless.</summary>
    public async Task SetViewedAsync(string userId, long fileId, bool viewed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!viewed)
        {
            await db.FileViewMarks.Where(m => m.UserId == userId && m.FileId == fileId).ExecuteDeleteAsync(cancellationToken);
            return;
        }

        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO file_view_marks ("UserId", "FileId", "MarkedAt") VALUES ({userId}, {fileId}, {clock.GetUtcNow()})
            ON CONFLICT ("UserId", "FileId") DO NOTHING
            """, cancellationToken);
    }
}
