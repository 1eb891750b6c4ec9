using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Diff;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Review;

/// <summary>Loads a change with everything its review page shows, and computes its side-by-side diffs.</summary>
public sealed class ReviewQuery(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<ReviewModel?> LoadAsync(long changeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var change = await db.Changes.AsNoTracking()
            .Include(c => c.Files.OrderBy(f => f.Path))
            .Include(c => c.RiskContributions.OrderByDescending(r => r.Points))
            .Include(c => c.Decisions.OrderBy(d => d.DecidedAt))
            .AsSplitQuery()
            .FirstOrDefaultAsync(c => c.Id == changeId, cancellationToken);
        if (change is null)
        {
            return null;
        }

        var files = change.Files
            .Select(f => new ReviewFile(
                f.Path,
                f.OldContent is null ? "added" : f.NewContent is null ? "deleted" : "modified",
                f.Additions,
                f.Deletions,
                SideBySideDiff.Compute(f.OldContent, f.NewContent)))
            .ToList();
        return new ReviewModel(change, files);
    }
}
