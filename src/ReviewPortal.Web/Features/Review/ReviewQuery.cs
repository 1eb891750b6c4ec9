using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Diff;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Review;

/// <summary>Loads a change with everything its review page shows, and computes its side-by-side diffs.</summary>
public sealed class ReviewQuery(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>
    /// The change at <paramref name="revisionNumber"/> (null = the latest); with <paramref name="sinceRevision"/>,
    /// only what changed between that revision and the shown one.
    /// </summary>
    public async Task<ReviewModel?> LoadAsync(long changeId, int? revisionNumber = null, int? sinceRevision = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var change = await db.Changes.AsNoTracking()
            .Include(c => c.Decisions.OrderBy(d => d.DecidedAt))
            .Include(c => c.Events.OrderBy(e => e.At))
            .AsSplitQuery()
            .FirstOrDefaultAsync(c => c.Id == changeId, cancellationToken);
        if (change is null)
        {
            return null;
        }

        var number = revisionNumber is { } requested && requested >= 1 && requested <= change.RevisionCount ? requested : change.RevisionCount;
        var revision = await LoadRevisionAsync(db, changeId, number, cancellationToken);
        if (revision is null)
        {
            return null;
        }

        if (sinceRevision is { } since && since >= 1 && since < number
            && await LoadRevisionAsync(db, changeId, since, cancellationToken) is { } earlier)
        {
            return new ReviewModel(change, revision, Interdiff(earlier, revision), since);
        }

        var files = revision.Files.OrderBy(f => f.Path, StringComparer.Ordinal)
            .Select(f => new ReviewFile(
                f.Path,
                f.IsBinary ? "binary" : f.PreviousPath is not null ? "renamed" : f.OldContent is null ? "added" : f.NewContent is null ? "deleted" : "modified",
                f.Additions,
                f.Deletions,
                f.IsBinary ? null : SideBySideDiff.Compute(f.OldContent, f.NewContent),
                f.PreviousPath))
            .ToList();
        return new ReviewModel(change, revision, files);
    }

    private static Task<ChangeRevision?> LoadRevisionAsync(PortalDbContext db, long changeId, int number, CancellationToken cancellationToken) =>
        db.Revisions.AsNoTracking()
            .Include(r => r.Files)
            .Include(r => r.RiskContributions.OrderByDescending(c => c.Points))
            .AsSplitQuery()
            .FirstOrDefaultAsync(r => r.ChangeId == changeId && r.Number == number, cancellationToken);

    /// <summary>
    /// File by file, the content at the earlier revision's head against the content at the later one's. A file one
    /// revision did not touch is taken at its base content, which the other revision records as its old side.
    /// </summary>
    private static List<ReviewFile> Interdiff(ChangeRevision earlier, ChangeRevision later)
    {
        var before = earlier.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var after = later.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var result = new List<ReviewFile>();
        foreach (var path in before.Keys.Union(after.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            before.TryGetValue(path, out var a);
            after.TryGetValue(path, out var b);
            if (a?.IsBinary == true || b?.IsBinary == true)
            {
                result.Add(new ReviewFile(path, "binary", 0, 0, null));
                continue;
            }

            var oldContent = a is not null ? a.NewContent : b!.OldContent;
            var newContent = b is not null ? b.NewContent : a!.OldContent;
            if (string.Equals(oldContent, newContent, StringComparison.Ordinal))
            {
                continue;
            }

            var lines = FileLineChanges.Compute(path, oldContent, newContent);
            result.Add(new ReviewFile(path, "changed since", lines.Additions, lines.Deletions, SideBySideDiff.Compute(oldContent, newContent)));
        }

        return result;
    }
}
